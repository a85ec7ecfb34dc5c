import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import type { CryptoKey, JWK, JWTPayload } from 'jose'

// A small OpenID provider for tests, run as an auxiliary worker: it publishes its keys at
// /jwks (what the issuer fetches, through the TEST_OIDC_PROVIDER service binding) and signs any
// claims asked of it at POST /sign, with a published key or one it never published.

type Key = { kid: string; alg: 'ES256' | 'RS256'; privateKey: CryptoKey; publicJwk: JWK }
type SignRequest = { claims: JWTPayload; kid?: string; typ?: string }

let keys: Promise<Key[]> | undefined

async function makeKey(kid: string, alg: Key['alg']): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  }
}

const PUBLISHED = ['es-1', 'rs-1']

export default {
  async fetch(request: Request): Promise<Response> {
    keys ??= Promise.all([
      makeKey('es-1', 'ES256'),
      makeKey('rs-1', 'RS256'),
      makeKey('hidden', 'ES256'),
    ])
    const all = await keys
    const { pathname } = new URL(request.url)
    if (pathname === '/jwks') {
      const published = all.filter((key) => PUBLISHED.includes(key.kid))
      return Response.json({ keys: published.map((key) => key.publicJwk) })
    }
    if (pathname === '/broken-jwks') return new Response('down for maintenance', { status: 503 })
    if (pathname === '/sign' && request.method === 'POST') {
      const { claims, kid = 'es-1', typ } = (await request.json()) as SignRequest
      const key = all.find((candidate) => candidate.kid === kid)
      if (!key) return new Response('no such key', { status: 400 })
      const header = { alg: key.alg, kid: key.kid, ...(typ === undefined ? {} : { typ }) }
      const token = await new SignJWT(claims).setProtectedHeader(header).sign(key.privateKey)
      return new Response(token)
    }
    return new Response('not found', { status: 404 })
  },
}
