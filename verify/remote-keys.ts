import { createRemoteJWKSet, customFetch } from 'jose'
import { ROUTES, issuerUrl } from '../contract/index.ts'
import type { AccessTokenKeys } from './access-token.ts'

/** A service binding to the issuer, or anything else with its `fetch`. */
export type IssuerFetcher = {
  fetch: (input: string | Request, init?: RequestInit) => Promise<Response>
}

/** The service binding when `jwks` is one; `undefined` for a URL. */
export function bindingOf(jwks: string | URL | IssuerFetcher): IssuerFetcher | undefined {
  return typeof jwks === 'object' && !(jwks instanceof URL) ? jwks : undefined
}

/** A request to the issuer: through its service binding when there is one, else over fetch. */
export function fetchIssuer(via: IssuerFetcher | undefined, url: string, init: RequestInit) {
  return via ? via.fetch(url, init) : fetch(url, init)
}

export type RemoteKeysOptions = {
  /** JWKS URL, or a service binding to the issuer (then `/.well-known/jwks.json` on it). */
  jwks: string | URL | IssuerFetcher
  issuer: string
  algorithms: readonly string[]
  /** ms a fetched key set is trusted; matches the issuer's `Cache-Control: max-age=300`. */
  cacheMaxAge: number
  /** ms between refetches triggered by an unknown `kid`, so forged kids cannot flood the issuer. */
  cooldown: number
}

/**
 * The issuer's published keys, cached per isolate and refetched on an unknown `kid` (a key
 * rotation) at most once per cooldown. `jku`/`x5u`/`jwk` headers are never followed.
 */
export function createRemoteKeys(options: RemoteKeysOptions): AccessTokenKeys {
  const via = bindingOf(options.jwks)
  const url = new URL(via ? issuerUrl(options.issuer, ROUTES.jwks) : String(options.jwks))
  const getKey = createRemoteJWKSet(url, {
    cacheMaxAge: options.cacheMaxAge,
    cooldownDuration: options.cooldown,
    ...(via ? { [customFetch]: (input: string, init: RequestInit) => via.fetch(input, init) } : {}),
  })
  return { algorithms: options.algorithms, getKey }
}
