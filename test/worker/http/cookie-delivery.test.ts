import { describe, expect, test } from 'vitest'
import { createTestIssuer, failure, registerUser } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

const origin = 'http://localhost:8787'
const cookieOf = (headers: Headers) => headers.get('set-cookie')?.split(';')[0] ?? ''

async function cookieLogin(t: TestIssuer) {
  const user = await registerUser(t)
  const result = await t.call(
    'auth.login',
    { ...user, delivery: 'cookie' },
    { headers: { origin } },
  )
  return { user, pair: result.body.result.data, cookie: cookieOf(result.headers) }
}

describe('browser sessions over the refresh cookie', () => {
  test('auth.refresh reads the cookie, rotates it, and keeps the token out of the body', async () => {
    const t = createTestIssuer()
    const { cookie } = await cookieLogin(t)
    const result = await t.call('auth.refresh', {}, { headers: { origin, cookie } })
    expect(result.status).toBe(200)
    expect(result.body.result.data.refreshToken).toBeUndefined()
    const rotated = cookieOf(result.headers)
    expect(rotated).toMatch(/^__Secure-rotor-refresh=/)
    expect(rotated).not.toBe(cookie)
    const again = await t.call('auth.refresh', undefined, { headers: { origin, cookie: rotated } })
    expect(again.status).toBe(200)
  })

  test('a cookie refresh from a foreign origin, or none, is ORIGIN_REJECTED and rotates nothing', async () => {
    const t = createTestIssuer()
    const { cookie } = await cookieLogin(t)
    for (const headers of [{ origin: 'https://evil.example', cookie }, { cookie }] as Record<
      string,
      string
    >[]) {
      const result = await t.call('auth.refresh', {}, { headers })
      expect(failure(result)).toEqual({ status: 403, reason: 'ORIGIN_REJECTED' })
      expect(result.headers.get('set-cookie')).toBeNull()
    }
    t.advance(60)
    expect((await t.call('auth.refresh', {}, { headers: { origin, cookie } })).status).toBe(200)
  })

  test('sign-out with the cookie revokes the session and clears the cookie', async () => {
    const t = createTestIssuer()
    const { pair, cookie } = await cookieLogin(t)
    const out = await t.call('auth.logout', {}, { headers: { origin, cookie } })
    expect(out.status).toBe(200)
    expect(out.headers.get('set-cookie')).toMatch(/^__Secure-rotor-refresh=; Max-Age=0/)
    expect(out.headers.get('clear-site-data')).toBe('"cookies"')
    const me = await t.call('auth.me', undefined, { token: pair.accessToken })
    expect(failure(me)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
  })

  test('a cookie refresh of a dead session clears the cookie', async () => {
    const t = createTestIssuer()
    const { pair, cookie } = await cookieLogin(t)
    await t.call('auth.logout', {}, { token: pair.accessToken })
    const result = await t.call('auth.refresh', {}, { headers: { origin, cookie } })
    expect(failure(result)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
    expect(result.headers.get('set-cookie')).toMatch(/Max-Age=0/)
  })
})

describe('signing in again in the same browser', () => {
  test('a cookie sign-in ends the session of the refresh cookie it replaces', async () => {
    const t = createTestIssuer()
    const { user, pair, cookie } = await cookieLogin(t)
    const again = await t.call(
      'auth.login',
      { ...user, delivery: 'cookie' },
      { headers: { origin, cookie } },
    )
    expect(again.status).toBe(200)
    const me = await t.call('auth.me', undefined, { token: pair.accessToken })
    expect(failure(me)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
    const list = await t.call('sessions.list', undefined, {
      token: again.body.result.data.accessToken,
    })
    expect(list.body.result.data.map((s: { id: string }) => s.id)).toEqual([
      again.body.result.data.sessionId,
    ])
    const fresh = cookieOf(again.headers)
    expect((await t.call('auth.refresh', {}, { headers: { origin, cookie: fresh } })).status).toBe(
      200,
    )
  })

  test('a failed cookie sign-in leaves the old session as it was', async () => {
    const t = createTestIssuer()
    const { user, pair, cookie } = await cookieLogin(t)
    const wrong = await t.call(
      'auth.login',
      { ...user, password: 'not the password at all', delivery: 'cookie' },
      { headers: { origin, cookie } },
    )
    expect(failure(wrong)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    expect((await t.call('auth.me', undefined, { token: pair.accessToken })).status).toBe(200)
  })

  test('a body sign-in leaves the cookie’s session alone: the cookie still works', async () => {
    const t = createTestIssuer()
    const { user, cookie } = await cookieLogin(t)
    expect((await t.call('auth.login', user, { headers: { origin, cookie } })).status).toBe(200)
    expect((await t.call('auth.refresh', {}, { headers: { origin, cookie } })).status).toBe(200)
  })
})

describe('CORS', () => {
  test('a listed origin gets credentialed CORS; a foreign one is never reflected', async () => {
    const t = createTestIssuer()
    const preflight = (o: string) =>
      t.call('auth.refresh', undefined, {
        method: 'OPTIONS' as 'POST',
        headers: { origin: o, 'access-control-request-method': 'POST' },
      })
    const allowed = await preflight(origin)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin)
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true')
    const foreign = await preflight('https://evil.example')
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('planted cookies', () => {
  test('two refresh cookies (one planted by a sibling subdomain) are both refused', async () => {
    const t = createTestIssuer()
    const { cookie } = await cookieLogin(t)
    const planted = `__Secure-rotor-refresh=${'A'.repeat(43)}`
    for (const both of [`${planted}; ${cookie}`, `${cookie}; ${planted}`]) {
      const result = await t.call('auth.refresh', {}, { headers: { origin, cookie: both } })
      expect(failure(result)).toEqual({ status: 400, reason: 'CREDENTIALS_CONFLICT' })
    }
    expect((await t.call('auth.refresh', {}, { headers: { origin, cookie } })).status).toBe(200)
  })
})
