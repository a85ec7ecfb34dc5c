import { describe, expect, test } from 'vitest'
import { failure } from '../helpers/issuer.ts'
import { DAY, SUNSET, legacyIssuer, legacyToken, legacyUser, usageOf } from './helpers.ts'

describe('auth.exchangeLegacy', () => {
  test('monitor: a legacy token becomes a normal session without a new sign-in', async () => {
    const t = legacyIssuer('monitor')
    const { user, token } = await legacyUser(t, 400 * DAY)
    const result = await t.call(
      'auth.exchangeLegacy',
      { token, deviceName: 'Old app' },
      { headers: { 'user-agent': 'OldApp/1.0', 'x-app-version': '1.0.3' } },
    )
    expect(result.status).toBe(200)
    const pair = result.body.result.data
    expect(pair.user).toEqual({ id: user.id, email: user.email })
    expect(pair.refreshToken).toEqual(expect.any(String))
    expect(result.headers.get('deprecation')).toBeNull()
    const me = await t.call('auth.me', undefined, { token: pair.accessToken })
    expect(me.body.result.data.id).toBe(user.id)
    const refreshed = await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    expect(refreshed.status).toBe(200)
    const sessions = await t.call('sessions.list', undefined, { token: pair.accessToken })
    expect(sessions.body.result.data).toMatchObject([{ deviceName: 'Old app', current: true }])
    expect(await usageOf(user.id)).toMatchObject([
      { user_agent: 'OldApp/1.0', app_version: '1.0.3', uses: 1, rejected: 0, exchanges: 1 },
    ])
  })

  test('warn: cookie delivery from an allowed origin, with the deprecation headers', async () => {
    const t = legacyIssuer('warn')
    const { token } = await legacyUser(t)
    const result = await t.call(
      'auth.exchangeLegacy',
      { token, delivery: 'cookie' },
      { headers: { origin: 'http://localhost:8787' } },
    )
    expect(result.status).toBe(200)
    expect(result.body.result.data.refreshToken).toBeUndefined()
    expect(result.headers.get('set-cookie')).toContain('__Secure-rotor-refresh=')
    expect(result.headers.get('sunset')).toBe(SUNSET)
    const foreign = await t.call(
      'auth.exchangeLegacy',
      { token, delivery: 'cookie' },
      { headers: { origin: 'https://evil.example' } },
    )
    expect(failure(foreign)).toEqual({ status: 403, reason: 'ORIGIN_REJECTED' })
  })

  test('warn: a token past LEGACY_MAX_AGE cannot be exchanged', async () => {
    const t = legacyIssuer('warn')
    const { user, token } = await legacyUser(t, 31 * DAY)
    const result = await t.call('auth.exchangeLegacy', { token })
    expect(failure(result)).toEqual({ status: 401, reason: 'LEGACY_TOKEN_REJECTED' })
    expect(await usageOf(user.id)).toMatchObject([{ uses: 1, rejected: 1, exchanges: 0 }])
  })

  test('enforce refuses and counts the attempt; off refuses without looking', async () => {
    const enforce = legacyIssuer('enforce')
    const { user, token } = await legacyUser(enforce)
    expect(failure(await enforce.call('auth.exchangeLegacy', { token }))).toEqual({
      status: 401,
      reason: 'LEGACY_TOKEN_REJECTED',
    })
    const off = legacyIssuer('off')
    expect(failure(await off.call('auth.exchangeLegacy', { token }))).toEqual({
      status: 401,
      reason: 'LEGACY_TOKEN_REJECTED',
    })
    expect(await usageOf(user.id)).toMatchObject([{ uses: 1, rejected: 1, exchanges: 0 }])
  })

  test('a token for no user, a forged token and a missing token are refused', async () => {
    const t = legacyIssuer('monitor')
    const unknown = await legacyToken(`gone-${crypto.randomUUID()}`)
    expect(failure(await t.call('auth.exchangeLegacy', { token: unknown })).reason).toBe(
      'LEGACY_TOKEN_REJECTED',
    )
    const { user } = await legacyUser(t)
    const forged = await legacyToken(user.id, { secret: 'guessed' })
    expect(failure(await t.call('auth.exchangeLegacy', { token: forged })).reason).toBe(
      'TOKEN_INVALID',
    )
    expect(failure(await t.call('auth.exchangeLegacy', {})).reason).toBe('INVALID_INPUT')
    expect(await usageOf(user.id)).toEqual([])
  })

  test('each exchange is counted, and the legacy token keeps working until enforce', async () => {
    const t = legacyIssuer('monitor')
    const { user, token } = await legacyUser(t)
    await t.call('auth.exchangeLegacy', { token })
    await t.call('auth.exchangeLegacy', { token })
    expect((await t.call('auth.me', undefined, { token })).status).toBe(200)
    expect(await usageOf(user.id)).toMatchObject([{ uses: 3, exchanges: 2 }])
  })
})

describe('exchange limits', () => {
  test('a leaked legacy token cannot mint sessions without end', async () => {
    const t = legacyIssuer('monitor', { RATE_LIMIT_EXCHANGE_USER: '2/3600' })
    const { token } = await legacyUser(t)
    expect((await t.call('auth.exchangeLegacy', { token })).status).toBe(200)
    const second = (await t.call('auth.exchangeLegacy', { token })).body.result.data
    const third = await t.call('auth.exchangeLegacy', { token })
    expect(failure(third)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(Number(third.headers.get('retry-after'))).toBe(3600)
    const sessions = await t.call('sessions.list', undefined, { token: second.accessToken })
    expect(sessions.body.result.data).toHaveLength(2)
  })
})
