import { JWKS_MAX_AGE } from '../../contract/index.ts'
import type { KeyRing } from '../keys/key-ring.ts'

/** `GET /.well-known/jwks.json`: public members of every published key, never a private one. */
export function jwksResponse(keys: KeyRing): Response {
  return Response.json(
    { keys: keys.keys.map((key) => key.publicJwk) },
    { headers: { 'cache-control': `public, max-age=${JWKS_MAX_AGE}` } },
  )
}
