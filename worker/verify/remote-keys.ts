import { createRemoteJWKSet, customFetch } from 'jose'
import type { AccessTokenKeys } from '../tokens/access-token'

/** A service binding to the issuer, or anything else with its `fetch`. */
export type IssuerFetcher = {
  fetch: (input: string | Request, init?: RequestInit) => Promise<Response>
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
  const { jwks } = options
  const isFetcher = typeof jwks === 'object' && !(jwks instanceof URL)
  const url = isFetcher ? new URL('/.well-known/jwks.json', options.issuer) : new URL(jwks)
  const getKey = createRemoteJWKSet(url, {
    cacheMaxAge: options.cacheMaxAge,
    cooldownDuration: options.cooldown,
    ...(isFetcher
      ? { [customFetch]: (input: string, init: RequestInit) => jwks.fetch(input, init) }
      : {}),
  })
  return { algorithms: options.algorithms, getKey }
}
