import { describe, expect, test } from 'vitest'
import { Hono } from 'hono'
import { requireAuth } from '../../verify/index.ts'
import { signAccessToken } from '../../worker/tokens/access-token.ts'
import { createTestIssuer, signIn } from '../worker/helpers/issuer.ts'
import type { RequireAuthOptions } from '../../verify/index.ts'
import type { TestIssuer } from '../worker/helpers/issuer.ts'

/** A resource route guarded by `requireAuth`, reaching the test issuer through a binding. */
function guarded(t: TestIssuer, options: Partial<RequireAuthOptions> = {}) {
  const app = new Hono()
  const jwks = {
    fetch: async (input: string | Request, init?: RequestInit) =>
      t.app.fetch(new Request(input, init)),
  }
  app.use(
    '/api/*',
    requireAuth({
      issuer: 'http://localhost:8787',
      audience: 'rotor',
      jwks,
      mode: 'stateless',
      now: () => t.issuer.now(),
      ...options,
    }),
  )
  app.get('/api/whoami', (c) => c.json({ ok: true }))
  return async (headers: Record<string, string> = {}) => {
    const response = await app.request('/api/whoami', { headers })
    const body = (await response.json()) as any
    return {
      status: response.status,
      reason: body.error?.data?.reason,
      challenge: response.headers.get('www-authenticate'),
    }
  }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('the verifier’s challenges (RFC 6750 §3)', () => {
  test('no token at all gets a bare Bearer challenge, with no error code', async () => {
    const t = createTestIssuer()
    expect(await guarded(t)()).toEqual({
      status: 401,
      reason: 'TOKEN_MISSING',
      challenge: 'Bearer',
    })
  })

  test('a refused token gets error="invalid_token"', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const result = await guarded(t)(bearer(`${pair.accessToken.slice(0, -4)}AAAA`))
    expect(result).toMatchObject({ status: 401, reason: 'TOKEN_INVALID' })
    expect(result.challenge).toMatch(/^Bearer error="invalid_token"/)
  })
})

describe('the verifier bounds token age (maxTokenAge)', () => {
  async function longToken(t: TestIssuer, lifetime: number) {
    const { user, pair } = await signIn(t)
    const iat = Math.floor(t.issuer.now() / 1000)
    return signAccessToken(t.issuer.keys, t.issuer.config, {
      sub: user.id,
      client_id: 'web',
      sid: pair.sessionId,
      iat,
      exp: iat + lifetime,
    })
  }

  test('by default a signed token living longer than 15 min plus leeway is refused', async () => {
    const t = createTestIssuer()
    const check = guarded(t)
    expect((await check(bearer(await longToken(t, 930)))).status).toBe(200)
    expect(await check(bearer(await longToken(t, 86_400)))).toMatchObject({
      status: 401,
      reason: 'TOKEN_INVALID',
    })
  })

  test('maxTokenAge follows a longer ACCESS_TOKEN_TTL', async () => {
    const t = createTestIssuer({ ACCESS_TOKEN_TTL: '3600' })
    const { pair } = await signIn(t)
    expect((await guarded(t)(bearer(pair.accessToken))).status).toBe(401)
    expect((await guarded(t, { maxTokenAge: 3600 })(bearer(pair.accessToken))).status).toBe(200)
  })

  test('a token issued longer ago than maxTokenAge plus leeway is refused', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const now = Math.floor(t.issuer.now() / 1000)
    const token = await signAccessToken(t.issuer.keys, t.issuer.config, {
      sub: user.id,
      client_id: 'web',
      sid: pair.sessionId,
      iat: now - 100,
      exp: now + 60,
    })
    expect((await guarded(t)(bearer(token))).status).toBe(200)
    expect(await guarded(t, { maxTokenAge: 60, clockSkewLeeway: 0 })(bearer(token))).toMatchObject({
      status: 401,
      reason: 'TOKEN_EXPIRED',
    })
  })

  test.each([0, 1.5, 86_401])('maxTokenAge %s is refused at construction', (maxTokenAge) => {
    const t = createTestIssuer()
    expect(() => guarded(t, { maxTokenAge })).toThrow(/maxTokenAge/)
  })
})
