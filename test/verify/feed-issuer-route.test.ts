import { describe, expect, test } from 'vitest'
import { Hono } from 'hono'
import { requireAuth } from '../../verify/index.ts'
import { createTestIssuer, signIn } from '../worker/helpers/issuer.ts'

// The happy path through the issuer's own feed route and its own tokens (their `status` claim),
// no fake in between.
describe('feed mode against the issuer’s feed route', () => {
  test('a signed-in token passes; after auth.logout it is refused from the next refresh on', async () => {
    const t = createTestIssuer()
    const binding = {
      fetch: async (input: string | Request, init?: RequestInit) =>
        t.app.fetch(new Request(input, init)),
    }
    const app = new Hono()
    app.use(
      '/api/*',
      requireAuth({
        issuer: 'http://localhost:8787',
        audience: 'rotor',
        jwks: binding,
        mode: 'feed',
        feedInterval: 5,
        now: () => t.issuer.now(),
      }),
    )
    app.get('/api/whoami', (c) => c.json({ ok: true }))
    const background: Promise<unknown>[] = []
    const ctx = {
      waitUntil: (promise: Promise<unknown>) => void background.push(promise),
      passThroughOnException() {},
      props: {},
    } as unknown as ExecutionContext
    const get = async (token: string) => {
      const headers = { authorization: `Bearer ${token}` }
      const response = await app.request('/api/whoami', { headers }, {}, ctx)
      const body = (await response.json()) as any
      return { status: response.status, reason: body.error?.data?.reason }
    }

    const { pair } = await signIn(t)
    const other = (await signIn(t)).pair
    expect(await get(pair.accessToken)).toEqual({ status: 200, reason: undefined })
    expect((await t.call('auth.logout', {}, { token: pair.accessToken })).status).toBe(200)
    t.advance(5)
    // This request finds the refresh due and answers from the held feed without waiting.
    expect((await get(pair.accessToken)).status).toBe(200)
    await Promise.all(background)
    expect(await get(pair.accessToken)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
    expect((await get(other.accessToken)).status).toBe(200)
  })
})
