import { createRemoteJWKSet, customFetch } from 'jose'
import { ROUTES, issuerUrl } from '../contract/index.ts'
import { askIssuer, issuerJson, issuerUnavailable } from './issuer-unavailable.ts'
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
 * rotation) at most once per cooldown. `jku`/`x5u`/`jwk` headers are never followed. A key set
 * that cannot be fetched is `ISSUER_UNAVAILABLE`, not a bad token.
 */
export function createRemoteKeys(options: RemoteKeysOptions): AccessTokenKeys {
  const via = bindingOf(options.jwks)
  const url = new URL(via ? issuerUrl(options.issuer, ROUTES.jwks) : String(options.jwks))
  // jose turns every fetch failure into an error that jwtVerify reports as a bad token; checked
  // here, an outage is told apart from a forgery.
  const fetchKeys = async (input: string, init: RequestInit) => {
    const send = () => fetchIssuer(via, input, init)
    const body = await issuerJson('jwks', await askIssuer('jwks', send, (status) => status === 200))
    if (!isKeySet(body)) throw issuerUnavailable('jwks', 'the answer is not a JWK Set')
    return Response.json(body)
  }
  const getKey = createRemoteJWKSet(url, {
    cacheMaxAge: options.cacheMaxAge,
    cooldownDuration: options.cooldown,
    [customFetch]: fetchKeys,
  })
  return { algorithms: options.algorithms, getKey }
}

function isKeySet(body: unknown): boolean {
  return (
    typeof body === 'object' && body !== null && Array.isArray((body as { keys?: unknown }).keys)
  )
}
