import { verifyAccessToken } from '../../verify/access-token.ts'
import { SIGNING_ALGS } from '../../contract/index.ts'
import { Hono } from 'hono'
import { hashPassword, verifyPassword } from '../../worker/passwords/password-hash.ts'
import { jwksResponse } from '../../worker/http/well-known.ts'
import { signAccessToken } from '../../worker/tokens/access-token.ts'
import { createRemoteKeys } from '../../verify/remote-keys.ts'
import { VERIFIER_DEFAULTS } from '../../verify/require-auth.ts'
import { HASH_CASES } from './hash-cases.ts'
import { benchClaims, createRings, readCount } from './rings.ts'
import type { Issuer, IssuerEnv } from '../../worker/issuer.ts'
import type { KeyRing } from '../../worker/keys/key-ring.ts'

/**
 * Floors measured from outside: a request doing N operations against one doing none, so the
 * per-operation cost is (t(N) − t(0)) / N. Deployed Workers freeze `Date.now()` during CPU work,
 * so timing inside the worker would not carry over; only the difference seen by a client does.
 */
export function floorRoutes(issuer: Issuer, env: IssuerEnv): Hono {
  const ringFor = createRings(env.SIGNING_KEYS)
  // Distinct tokens, as unique-token traffic brings; signed once, outside any timed request.
  const signed = new Map<KeyRing, Promise<string[]>>()
  const tokensOf = (ring: KeyRing) => {
    let tokens = signed.get(ring)
    if (!tokens) {
      const sign = () => signAccessToken(ring, issuer.config, claims())
      signed.set(ring, (tokens = Promise.all(Array.from({ length: 256 }, sign))))
    }
    return tokens
  }
  // The verifier's own key path: its remote JWKS cache, fed this ring's JWKS response.
  const remoteKeys = (ring: KeyRing) =>
    createRemoteKeys({
      jwks: { fetch: async () => jwksResponse(ring) },
      issuer: issuer.config.issuer,
      algorithms: SIGNING_ALGS,
      cacheMaxAge: VERIFIER_DEFAULTS.jwksCacheMaxAge,
      cooldown: VERIFIER_DEFAULTS.jwksCooldown,
    })
  const keysFor = new Map<KeyRing, ReturnType<typeof remoteKeys>>()
  const claims = () => benchClaims(issuer)
  const routes = new Hono()

  routes.get('/sign', async (c) => {
    const ring = ringFor(c.req.query('alg'))
    const n = readCount(c.req.query('n'), 5000)
    for (let i = 0; i < n; i++) await signAccessToken(ring, issuer.config, claims())
    return c.json({ n })
  })

  routes.get('/verify', async (c) => {
    const ring = ringFor(c.req.query('alg'))
    const n = readCount(c.req.query('n'), 5000)
    const tokens = await tokensOf(ring)
    let keys = keysFor.get(ring)
    if (!keys) keysFor.set(ring, (keys = remoteKeys(ring)))
    const now = Math.floor(issuer.now() / 1000)
    for (let i = 0; i < n; i++) {
      await verifyAccessToken(keys, issuer.config, tokens[i % tokens.length]!, now)
    }
    return c.json({ n })
  })

  // Login's floor: the password hash it must compute (Rotor's scheme at today's parameters).
  routes.get('/password-hash', async (c) => {
    const n = readCount(c.req.query('n'), 4)
    for (let i = 0; i < n; i++) await hashPassword(crypto.randomUUID())
    return c.json({ n })
  })

  // One verification of a stored hash of each scheme (README, "Password hashes").
  routes.get('/verify-hash', async (c) => {
    const make = HASH_CASES[c.req.query('case') as keyof typeof HASH_CASES]
    if (!make) return c.json({ error: 'unknown case' }, 400)
    const n = readCount(c.req.query('n'), 4)
    const stored = make()
    for (let i = 0; i < n; i++) await verifyPassword(crypto.randomUUID(), stored)
    return c.json({ n })
  })

  // Refresh's floor: one D1 batch (a write and a read, one transaction) plus one signature.
  // Its table is FLOOR_TABLE_SQL (bench/constants.ts), created by the harness.
  routes.post('/refresh-floor', async (c) => {
    const body = await c.req.json<{ refreshToken?: string }>()
    const id = crypto.randomUUID()
    const [, read] = await env.DB.batch([
      env.DB.prepare('INSERT INTO bench_floor (id, at) VALUES (?, ?)').bind(id, issuer.now()),
      env.DB.prepare('SELECT id, at FROM bench_floor WHERE id = ?').bind(id),
    ])
    const accessToken = await signAccessToken(issuer.keys, issuer.config, claims())
    return c.json({ accessToken, row: read?.results[0], presented: body.refreshToken?.length })
  })
  return routes
}
