import { describe, expect, test } from 'vitest'
import { generateRefreshToken } from '../../../worker/tokens/refresh-token.ts'
import { createTestIssuer, failure, login, registerUser } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

const fromIp = (ip: string) => ({ headers: { 'cf-connecting-ip': ip } })
const attempt = (t: TestIssuer, email: string, password: string, ip = '203.0.113.9') =>
  t.call('auth.login', { email, password }, fromIp(ip))

describe('sign-in limits', () => {
  test('per account: after 10 failures in 15 min even the right password waits, with Retry-After', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '10/900' })
    const user = await registerUser(t)
    for (let i = 0; i < 10; i++) {
      t.advance(30)
      expect(failure(await attempt(t, user.email, 'wrong password'))).toEqual({
        status: 401,
        reason: 'INVALID_CREDENTIALS',
      })
    }
    const blocked = await attempt(t, user.email, user.password)
    expect(failure(blocked)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    t.advance(Number(blocked.headers.get('retry-after')))
    expect((await attempt(t, user.email, user.password)).status).toBe(200)
  })

  test('back-off after 5 consecutive failures: 1 s, then 2 s, doubling', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '10/900' })
    const user = await registerUser(t)
    for (let i = 0; i < 5; i++) await attempt(t, user.email, 'wrong password')
    const early = await attempt(t, user.email, user.password)
    expect(failure(early)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(early.headers.get('retry-after')).toBe('1')
    t.advance(1)
    expect(failure(await attempt(t, user.email, 'wrong again'))).toMatchObject({ status: 401 })
    t.advance(1)
    expect(failure(await attempt(t, user.email, user.password))).toMatchObject({ status: 429 })
    t.advance(1)
    expect((await attempt(t, user.email, user.password)).status).toBe(200)
  })

  test('parallel guesses cannot slip past the account limit together', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '3/900' })
    const user = await registerUser(t)
    const guesses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => attempt(t, user.email, `parallel guess ${i}`)),
    )
    const statuses = guesses.map((guess) => guess.status).sort()
    expect(statuses.filter((status) => status === 401)).toHaveLength(3)
    expect(statuses.filter((status) => status === 429)).toHaveLength(5)
  })

  test('a successful sign-in resets the account’s failure count', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '3/900' })
    const user = await registerUser(t)
    await attempt(t, user.email, 'wrong password')
    await attempt(t, user.email, 'wrong password')
    expect((await attempt(t, user.email, user.password)).status).toBe(200)
    await attempt(t, user.email, 'wrong password')
    await attempt(t, user.email, 'wrong password')
    expect((await attempt(t, user.email, user.password)).status).toBe(200)
  })

  test('an unknown email is limited exactly like a known one, so a 429 reveals nothing', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '3/900' })
    const user = await registerUser(t)
    const ghost = `ghost-${user.email}`
    for (const email of [user.email, ghost]) {
      for (let i = 0; i < 3; i++) await attempt(t, email, 'wrong password')
    }
    const known = await attempt(t, user.email, 'wrong password')
    const unknown = await attempt(t, ghost, 'wrong password')
    expect(failure(known)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(failure(unknown)).toEqual(failure(known))
    expect(unknown.headers.get('retry-after')).toBe(known.headers.get('retry-after'))
  })

  test('per IP: the attempt over the limit in a minute is refused; other IPs are unaffected', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_IP: '5/60' })
    const user = await registerUser(t)
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`
    for (let i = 0; i < 5; i++) {
      expect((await attempt(t, `nobody-${i}@example.com`, 'x', ip)).status).toBe(401)
    }
    expect(failure(await attempt(t, user.email, user.password, ip))).toMatchObject({ status: 429 })
    expect((await attempt(t, user.email, user.password, '192.0.2.77')).status).toBe(200)
    t.advance(60)
    expect((await attempt(t, user.email, user.password, ip)).status).toBe(200)
  })
})

describe('register and refresh limits', () => {
  test('registrations per IP per hour', async () => {
    const t = createTestIssuer({ RATE_LIMIT_REGISTER_IP: '2/3600' })
    const ip = fromIp(`192.0.2.${Math.floor(Math.random() * 250)}`)
    const register = () =>
      t.call(
        'auth.register',
        { email: `r-${crypto.randomUUID()}@example.com`, password: 'long enough pass' },
        ip,
      )
    expect((await register()).status).toBe(200)
    expect((await register()).status).toBe(200)
    const third = await register()
    expect(failure(third)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(Number(third.headers.get('retry-after'))).toBe(3600)
  })

  test('refreshes per session per minute; a refused refresh rotates nothing', async () => {
    const t = createTestIssuer({ RATE_LIMIT_REFRESH_SESSION: '3/60' })
    let pair = await login(t, await registerUser(t))
    for (let i = 0; i < 3; i++) {
      pair = (await t.call('auth.refresh', { refreshToken: pair.refreshToken })).body.result.data
    }
    const limited = await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    expect(failure(limited)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(limited.headers.get('retry-after')).toBe('60')
    t.advance(60)
    const next = await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    expect(next.status).toBe(200)
  })
})

describe('unknown refresh tokens per IP', () => {
  const someIp = () => `192.0.2.${Math.floor(Math.random() * 250)}`
  const refreshFrom = (t: TestIssuer, refreshToken: string, ip: string) =>
    t.call('auth.refresh', { refreshToken }, fromIp(ip))

  test('over the limit, guessed tokens get 429 with Retry-After; known tokens still refresh', async () => {
    const t = createTestIssuer({ RATE_LIMIT_REFRESH_IP: '3/60' })
    const pair = await login(t, await registerUser(t))
    const ip = someIp()
    for (let i = 0; i < 3; i++) {
      const guess = await refreshFrom(t, generateRefreshToken('body'), ip)
      expect(failure(guess)).toEqual({ status: 401, reason: 'REFRESH_TOKEN_INVALID' })
    }
    const limited = await refreshFrom(t, generateRefreshToken('body'), ip)
    expect(failure(limited)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(limited.headers.get('retry-after')).toBe('60')
    // A neighbour behind the same address is judged by their own session's limit.
    expect((await refreshFrom(t, pair.refreshToken, ip)).status).toBe(200)
    const elsewhere = await refreshFrom(t, generateRefreshToken('body'), '198.51.100.200')
    expect(failure(elsewhere)).toEqual({ status: 401, reason: 'REFRESH_TOKEN_INVALID' })
    t.advance(60)
    expect(failure(await refreshFrom(t, generateRefreshToken('body'), ip))).toMatchObject({
      status: 401,
    })
  })

  test('the OAuth token endpoint shares the budget and answers 429 too', async () => {
    const t = createTestIssuer({ RATE_LIMIT_REFRESH_IP: '2/60' })
    const ip = someIp()
    const grant = () =>
      t.request('/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': ip },
        body: `grant_type=refresh_token&refresh_token=${generateRefreshToken('body')}`,
      })
    expect((await refreshFrom(t, generateRefreshToken('body'), ip)).status).toBe(401)
    expect((await grant()).status).toBe(400)
    const limited = await grant()
    expect(limited.status).toBe(429)
    expect(await limited.json()).toMatchObject({ reason: 'RATE_LIMITED' })
    expect(limited.headers.get('retry-after')).toBe('60')
  })
})

describe('limits never hide theft', () => {
  test('a replayed token is reuse even when the session is over its refresh limit', async () => {
    const t = createTestIssuer({ RATE_LIMIT_REFRESH_SESSION: '3/60' })
    const stolen = await login(t, await registerUser(t))
    // The thief rotates first and fills the window through the grace path.
    const thief = (await t.call('auth.refresh', { refreshToken: stolen.refreshToken })).body.result
      .data
    for (let i = 0; i < 3; i++) await t.call('auth.refresh', { refreshToken: stolen.refreshToken })
    t.advance(11)
    // The victim's copy of the old token, past the grace window: the family dies, no 429.
    const victim = await t.call('auth.refresh', { refreshToken: stolen.refreshToken })
    expect(failure(victim)).toEqual({ status: 401, reason: 'REFRESH_TOKEN_REUSED' })
    const thiefNext = await t.call('auth.refresh', { refreshToken: thief.refreshToken })
    expect(failure(thiefNext)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
  })
})
