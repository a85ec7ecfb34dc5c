import type { KeyRing } from '../keys/key-ring'

/** Verifiers cache the key set this long; a new key is published well before it signs. */
export const JWKS_MAX_AGE = 300

/** `GET /.well-known/jwks.json`: public members of every published key, never a private one. */
export function jwksResponse(keys: KeyRing): Response {
  return Response.json(
    { keys: keys.keys.map((key) => key.publicJwk) },
    { headers: { 'cache-control': `public, max-age=${JWKS_MAX_AGE}` } },
  )
}
