import { describe, expect, test } from 'vitest'
import { createTestIssuer, failure, login, me, refresh, signIn } from '../helpers/issuer.ts'

describe('refresh rotation', () => {
  test('a refresh returns a new pair and retires the presented token', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    t.advance(60)
    const next = await refresh(t, pair.refreshToken)
    expect(next.status).toBe(200)
    const renewed = next.body.result.data
    expect(renewed.refreshToken).not.toBe(pair.refreshToken)
    expect(renewed.accessToken).not.toBe(pair.accessToken)
    expect(renewed.sessionId).toBe(pair.sessionId)
    expect(renewed.accessTokenExpiresAt).toBe(pair.accessTokenExpiresAt + 60)
    expect((await me(t, renewed.accessToken)).status).toBe(200)
  })

  test('the immediate parent presented again within the grace window gets the same successor', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const first = (await refresh(t, pair.refreshToken)).body.result.data
    t.advance(9)
    const retry = await refresh(t, pair.refreshToken)
    expect(retry.status).toBe(200)
    expect(retry.body.result.data.refreshToken).toBe(first.refreshToken)
    expect((await refresh(t, first.refreshToken)).status).toBe(200)
  })

  test('the parent presented after the grace window revokes the whole family', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const first = (await refresh(t, pair.refreshToken)).body.result.data
    t.advance(11)
    expect(failure(await refresh(t, pair.refreshToken))).toEqual({
      status: 401,
      reason: 'REFRESH_TOKEN_REUSED',
    })
    expect(failure(await refresh(t, first.refreshToken))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
    expect(failure(await me(t, first.accessToken))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
    expect(failure(await me(t, pair.accessToken))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
  })

  test('within the window, a token whose successor was already used is reuse, not grace', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const first = (await refresh(t, pair.refreshToken)).body.result.data
    const second = (await refresh(t, first.refreshToken)).body.result.data
    t.advance(1)
    expect(failure(await refresh(t, pair.refreshToken))).toEqual({
      status: 401,
      reason: 'REFRESH_TOKEN_REUSED',
    })
    expect(failure(await me(t, second.accessToken))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
  })

  test('reuse revokes only that family; the user’s other sessions keep working', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const other = await login(t, user)
    await refresh(t, pair.refreshToken)
    t.advance(30)
    await refresh(t, pair.refreshToken)
    expect((await me(t, other.accessToken)).status).toBe(200)
    expect((await refresh(t, other.refreshToken)).status).toBe(200)
  })

  test('8 concurrent refreshes of one token: one rotation, everyone gets the same successor', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const results = await Promise.all(
      Array.from({ length: 8 }, () => refresh(t, pair.refreshToken)),
    )
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200))
    const successors = new Set(results.map((r) => r.body.result.data.refreshToken))
    expect(successors.size).toBe(1)
    const [successor] = successors
    expect((await refresh(t, successor)).status).toBe(200)
  })

  test('an unknown or malformed refresh token is REFRESH_TOKEN_INVALID and changes nothing', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const forged = pair.refreshToken.slice(0, -1) + (pair.refreshToken.endsWith('A') ? 'B' : 'A')
    for (const token of [forged, 'short', 'x'.repeat(200), `${pair.refreshToken}=`]) {
      expect(failure(await refresh(t, token))).toEqual({
        status: 401,
        reason: 'REFRESH_TOKEN_INVALID',
      })
    }
    for (const input of [pair.accessToken, 42, ['a']]) {
      expect(failure(await refresh(t, input))).toEqual({ status: 400, reason: 'INVALID_INPUT' })
    }
    expect((await refresh(t, pair.refreshToken)).status).toBe(200)
  })

  test('no refresh token at all is TOKEN_MISSING', async () => {
    const t = createTestIssuer()
    const result = await t.call(
      'auth.refresh',
      {},
      { headers: { origin: 'http://localhost:8787' } },
    )
    expect(failure(result)).toEqual({ status: 401, reason: 'TOKEN_MISSING' })
  })
})

describe('session lifetime', () => {
  const vars = { REFRESH_IDLE_TTL: '3600', SESSION_MAX_AGE: '14400' }

  test('each refresh slides the idle deadline, so a session in use outlives REFRESH_IDLE_TTL', async () => {
    const t = createTestIssuer(vars)
    let { pair } = await signIn(t)
    for (let minute = 50; minute <= 200; minute += 50) {
      t.advance(50 * 60)
      const next = await refresh(t, pair.refreshToken)
      expect(next.status).toBe(200)
      pair = next.body.result.data
    }
    expect((await me(t, pair.accessToken)).status).toBe(200)
  })

  test('a session left idle past REFRESH_IDLE_TTL is SESSION_EXPIRED', async () => {
    const t = createTestIssuer(vars)
    const { pair } = await signIn(t)
    t.advance(3601)
    expect(failure(await refresh(t, pair.refreshToken))).toEqual({
      status: 401,
      reason: 'SESSION_EXPIRED',
    })
  })

  test('the absolute SESSION_MAX_AGE ends even a session in constant use', async () => {
    const t = createTestIssuer(vars)
    let { pair } = await signIn(t)
    const deadline = pair.refreshTokenExpiresAt - 3600 + 14400
    for (let elapsed = 0; elapsed < 14400 - 1800; elapsed += 1800) {
      t.advance(1800)
      const next = await refresh(t, pair.refreshToken)
      expect(next.status).toBe(200)
      pair = next.body.result.data
      expect(pair.refreshTokenExpiresAt).toBeLessThanOrEqual(deadline)
      expect(pair.accessTokenExpiresAt).toBeLessThanOrEqual(deadline)
    }
    expect(pair.refreshTokenExpiresAt).toBe(deadline)
    t.advance(1800)
    expect(failure(await refresh(t, pair.refreshToken))).toEqual({
      status: 401,
      reason: 'SESSION_EXPIRED',
    })
    expect(failure(await me(t, pair.accessToken))).toEqual({ status: 401, reason: 'TOKEN_EXPIRED' })
  })

  test('an expired access token is TOKEN_EXPIRED; a refresh brings a working one', async () => {
    const t = createTestIssuer({ ACCESS_TOKEN_TTL: '300', CLOCK_SKEW_LEEWAY: '30' })
    const { pair } = await signIn(t)
    t.advance(320)
    expect((await me(t, pair.accessToken)).status).toBe(200)
    t.advance(20)
    expect(failure(await me(t, pair.accessToken))).toEqual({ status: 401, reason: 'TOKEN_EXPIRED' })
    const renewed = (await refresh(t, pair.refreshToken)).body.result.data
    expect((await me(t, renewed.accessToken)).status).toBe(200)
  })
})
