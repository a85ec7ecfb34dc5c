import { Hono } from 'hono'
import { purgeExpired } from '../../worker/sessions/purge.ts'
import { startSession } from '../../worker/sessions/start-session.ts'
import { revokedTokenWindow, signAccessToken } from '../../worker/tokens/access-token.ts'
import { VERIFIER_DEFAULTS } from '../../verify/require-auth.ts'
import { BENCH_USER_AGENT } from '../constants.ts'
import { benchClaims, createRings, readCount } from './rings.ts'
import type { Issuer, IssuerEnv } from '../../worker/issuer.ts'

/**
 * What the harness needs prepared through the worker's own code: access tokens per algorithm,
 * sessions started as login starts them (without the password hash, which would take minutes
 * for thousands), the D1 counter (round trips, rows), the scheduled purge, and feed builds.
 */
export function fixtureRoutes(
  issuer: Issuer,
  env: IssuerEnv,
  counter: { roundTrips: number; rowsRead: number; rowsWritten: number },
): Hono {
  const ringFor = createRings(env.SIGNING_KEYS)
  const routes = new Hono()

  routes.post('/access-tokens', async (c) => {
    const ring = ringFor(c.req.query('alg'))
    const n = readCount(c.req.query('n'), 1000)
    const tokens: string[] = []
    for (let i = 0; i < n; i++) {
      tokens.push(await signAccessToken(ring, issuer.config, benchClaims(issuer)))
    }
    return c.json({ tokens })
  })

  routes.post('/sessions', async (c) => {
    const n = readCount(c.req.query('n'), 1000)
    const user = await c.req.json<{ id: string; email: string }>()
    const info = {
      ip: null,
      country: null,
      userAgent: BENCH_USER_AGENT,
      requestId: crypto.randomUUID(),
    }
    const pairs: { accessToken: string; refreshToken: string }[] = []
    for (let i = 0; i < n; i++) {
      const pair = await startSession(issuer, {
        user,
        info,
        event: 'login.success',
        clientId: issuer.config.clientIds.default,
        delivery: 'body',
        amr: ['pwd'],
      })
      pairs.push({ accessToken: pair.accessToken, refreshToken: pair.refreshToken })
    }
    return c.json({ pairs })
  })

  routes.get('/round-trips', (c) => c.json(counter))

  // One feed build per request, as a request after a revocation in this isolate pays it: the
  // D1 read, the list, its deflate and the signature. Answers the feed's size, not the feed.
  routes.get('/feed-build', async (c) => {
    issuer.feed.invalidate()
    const feed = await issuer.feed.current()
    return c.json({ bytes: feed.jwt.length, seq: feed.seq })
  })

  // The build's D1 read alone, over the same window, for the build's split.
  routes.get('/feed-read', async (c) => {
    const window = revokedTokenWindow(issuer.config) * 1000
    const { indexes } = await issuer.store.readRevocationFeed(issuer.now() - window)
    return c.json({ revoked: indexes.length })
  })

  // The verifier's defaults as the bundled code has them, for the memory bound the report states.
  routes.get('/verifier-defaults', (c) => c.json(VERIFIER_DEFAULTS))

  routes.post('/purge', async (c) => c.json(await purgeExpired(issuer)))
  return routes
}
