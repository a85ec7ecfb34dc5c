import { describe, expect, test } from 'vitest'
import { failure, signIn } from '../helpers/issuer.ts'
import { DAY, SUNSET, legacyIssuer, legacyToken, legacyUser, usageOf } from './helpers.ts'

describe('legacy tokens on protected procedures, phase by phase', () => {
  test('monitor: accepted as before, no headers, every use counted', async () => {
    const t = legacyIssuer('monitor')
    const { user, token } = await legacyUser(t, 400 * DAY)
    for (let i = 0; i < 3; i++) {
      const me = await t.call('auth.me', undefined, { token })
      expect(me.status).toBe(200)
      expect(me.body.result.data).toEqual({ id: user.id, email: user.email })
      expect(me.headers.get('deprecation')).toBeNull()
      expect(me.headers.get('sunset')).toBeNull()
    }
    expect(await usageOf(user.id)).toMatchObject([{ uses: 3, rejected: 0, exchanges: 0 }])
  })

  test('warn: accepted with Deprecation (RFC 9745) and Sunset (RFC 8594) headers', async () => {
    const t = legacyIssuer('warn')
    const { user, token } = await legacyUser(t)
    const me = await t.call('auth.me', undefined, { token })
    expect(me.status).toBe(200)
    expect(me.body.result.data.id).toBe(user.id)
    expect(me.headers.get('deprecation')).toBe(`@${Math.floor(t.issuer.now() / 1000)}`)
    expect(me.headers.get('sunset')).toBe(SUNSET)
  })

  test('warn: a token older than LEGACY_MAX_AGE by iat is refused, and counted', async () => {
    const t = legacyIssuer('warn')
    const { user, token } = await legacyUser(t, 29 * DAY)
    expect((await t.call('auth.me', undefined, { token })).status).toBe(200)
    t.advance(2 * DAY)
    const old = await t.call('auth.me', undefined, { token })
    expect(failure(old)).toEqual({ status: 401, reason: 'LEGACY_TOKEN_REJECTED' })
    expect(old.headers.get('sunset')).toBeNull()
    expect(await usageOf(user.id)).toMatchObject([{ uses: 1 }, { uses: 1, rejected: 1 }])
  })

  test('warn: a token without iat counts as too old', async () => {
    const t = legacyIssuer('warn')
    const { user } = await legacyUser(t)
    const token = await legacyToken(user.id, { issuedAt: null })
    expect(failure(await t.call('auth.me', undefined, { token }))).toEqual({
      status: 401,
      reason: 'LEGACY_TOKEN_REJECTED',
    })
    const monitor = legacyIssuer('monitor')
    expect((await monitor.call('auth.me', undefined, { token })).status).toBe(200)
  })

  test('enforce: refused with LEGACY_TOKEN_REJECTED, and still counted', async () => {
    const t = legacyIssuer('enforce')
    const { user, token } = await legacyUser(t)
    const me = await t.call('auth.me', undefined, { token })
    expect(failure(me)).toEqual({ status: 401, reason: 'LEGACY_TOKEN_REJECTED' })
    expect(await usageOf(user.id)).toMatchObject([{ uses: 1, rejected: 1 }])
  })

  test('off: no legacy path at all: an invalid token, nothing counted', async () => {
    const t = legacyIssuer('off')
    const { user, token } = await legacyUser(t)
    expect(failure(await t.call('auth.me', undefined, { token }))).toEqual({
      status: 401,
      reason: 'TOKEN_INVALID',
    })
    expect(await usageOf(user.id)).toEqual([])
  })

  test('moving back a phase is safe: the same token works again, nothing to undo', async () => {
    const { user, token } = await legacyUser(legacyIssuer('monitor'))
    const results = []
    for (const mode of ['monitor', 'warn', 'enforce', 'warn', 'monitor'] as const) {
      results.push((await legacyIssuer(mode).call('auth.me', undefined, { token })).status)
    }
    expect(results).toEqual([200, 200, 401, 200, 200])
    expect((await usageOf(user.id))[0]).toMatchObject({ uses: 5, rejected: 1 })
  })

  test.each(['off', 'monitor', 'warn', 'enforce'] as const)(
    '%s: Rotor access tokens work as ever and carry no deprecation headers',
    async (mode) => {
      const t = legacyIssuer(mode)
      const { user, pair } = await signIn(t)
      const me = await t.call('auth.me', undefined, { token: pair.accessToken })
      expect(me.status).toBe(200)
      expect(me.body.result.data.id).toBe(user.id)
      expect(me.headers.get('deprecation')).toBeNull()
      expect(await usageOf(user.id)).toEqual([])
    },
  )
})
