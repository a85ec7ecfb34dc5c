import { describe, expect, test } from 'vitest'
import { exports } from 'cloudflare:workers'
import { createTestIssuer, failure, signIn } from '../helpers/issuer.ts'

const worker = exports.default as unknown as { fetch: (request: Request) => Promise<Response> }

describe('HTTP surface', () => {
  test('GET /healthz answers 200 from the deployed worker entry', async () => {
    const response = await worker.fetch(new Request('http://localhost/healthz'))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  test('JWKS publishes public keys with Cache-Control and never a private member', async () => {
    const response = await worker.fetch(new Request('http://localhost/.well-known/jwks.json'))
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] }
    expect(keys.map((key) => key.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256'])
    for (const key of keys) {
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'status']) {
        expect(key).not.toHaveProperty(member)
      }
      expect(key.use).toBe('sig')
      expect(typeof key.kid).toBe('string')
    }
  })

  test('bodies over 8 KiB are 413 PAYLOAD_TOO_LARGE in tRPC’s error shape', async () => {
    const t = createTestIssuer()
    const result = await t.call('auth.login', {
      email: 'a@example.com',
      password: 'x'.repeat(9000),
    })
    expect(failure(result)).toEqual({ status: 413, reason: 'PAYLOAD_TOO_LARGE' })
    expect(result.body.error.data.httpStatus).toBe(413)
  })

  test('batches are limited to 10 calls, and sign-in or refresh cannot be batched', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const eleven = Array(11).fill('auth.me').join(',')
    const big = await t.call(`${eleven}?batch=1`, undefined, {
      method: 'GET',
      token: pair.accessToken,
    })
    expect(failure(big)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
    const ok = await t.call('auth.me,sessions.list?batch=1', undefined, {
      method: 'GET',
      token: pair.accessToken,
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toHaveLength(2)
    const mixed = await t.call('auth.refresh,auth.logout?batch=1', { 0: {}, 1: {} })
    expect(failure(mixed)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
  })

  test('unknown routes and procedures are 404 NOT_FOUND, not 5xx', async () => {
    const t = createTestIssuer()
    expect(failure(await t.call('auth.nope', {}))).toEqual({ status: 404, reason: 'NOT_FOUND' })
    const response = await worker.fetch(new Request('http://localhost/nowhere'))
    expect(response.status).toBe(404)
  })

  test('hostile bodies and paths never produce a 5xx', async () => {
    const bodies = [
      '{',
      '"',
      'null',
      '[]',
      '{"email":{"$gt":""}}',
      '\u0000',
      '\uD800',
      '{}'.repeat(2000),
    ]
    for (const body of bodies) {
      for (const path of ['auth.login', 'auth.register', 'auth.refresh', 'auth.logout']) {
        const response = await worker.fetch(
          new Request(`http://localhost/trpc/${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          }),
        )
        expect(response.status, `${path} ${body.slice(0, 20)}`).toBeLessThan(500)
      }
    }
    const percent = await worker.fetch(new Request('http://localhost/trpc/%E0%A4%A'))
    expect(percent.status).toBe(400)
  })

  test('responses carry security headers and tRPC responses are never cached', async () => {
    const t = createTestIssuer()
    const result = await t.call('auth.me', undefined)
    expect(result.headers.get('x-content-type-options')).toBe('nosniff')
    // One year, the norm (and the HSTS preload list's minimum), not Hono's default 180 days.
    expect(result.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    )
    expect(result.headers.get('cache-control')).toBe('no-store')
  })
})
