import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createD1Store } from '../../../worker/store/d1-store.ts'
import { countingD1 } from '../../../bench/worker/counting-d1.ts'
import { createTestIssuer, registerUser } from '../helpers/issuer.ts'
import { DAY, LEGACY_SECRET, SUNSET, legacyIssuer, legacyUser, usageOf } from './helpers.ts'

describe('legacy usage is aggregated, not logged per request', () => {
  test('one row per day, client and user, however many calls', async () => {
    const t = legacyIssuer('monitor')
    const { user, token } = await legacyUser(t)
    const as = (headers: Record<string, string>) => t.call('auth.me', undefined, { token, headers })
    for (let i = 0; i < 5; i++) await as({ 'user-agent': 'App/2.0' })
    await as({ 'user-agent': 'App/2.0', 'x-app-version': '2.0.1' })
    await as({})
    t.advance(DAY)
    await as({ 'user-agent': 'App/2.0' })
    const rows = await usageOf(user.id)
    expect(rows.map((row) => [row.user_agent, row.app_version, row.uses])).toEqual([
      ['', '', 1],
      ['App/2.0', '', 5],
      ['App/2.0', '2.0.1', 1],
      ['App/2.0', '', 1],
    ])
    expect(new Set(rows.map((row) => row.day)).size).toBe(2)
  })

  test('client headers are bounded before they are stored', async () => {
    const t = legacyIssuer('monitor')
    const { user, token } = await legacyUser(t)
    const headers = { 'user-agent': 'U'.repeat(1000), 'x-app-version': 'V'.repeat(1000) }
    await t.call('auth.me', undefined, { token, headers })
    const [row] = await usageOf(user.id)
    expect([row!.user_agent.length, row!.app_version.length]).toEqual([128, 32])
  })

  test('a legacy call costs one D1 round trip, the same as a Rotor call', async () => {
    const { binding, counter } = countingD1(env.DB)
    const vars = { LEGACY_JWT_SECRET: LEGACY_SECRET, LEGACY_SUNSET: SUNSET }
    for (const mode of ['monitor', 'warn', 'enforce']) {
      const t = createTestIssuer({ ...vars, LEGACY_MODE: mode }, { DB: binding })
      const { token } = await legacyUser(t)
      const before = counter.roundTrips
      await t.call('auth.me', undefined, { token })
      expect(counter.roundTrips - before).toBe(1)
    }
  })

  test('old days can be purged in bounded steps', async () => {
    const store = createD1Store(env.DB)
    const userId = `purge-${crypto.randomUUID()}`
    const at = Date.UTC(2000, 0, 1)
    const client = { userAgent: 'Old', appVersion: '' }
    for (let day = 0; day < 3; day++) {
      await store.recordLegacyRefusal({ at: at + day * DAY * 1000, userId, client })
    }
    expect(await store.purgeLegacyUsage(Date.UTC(2000, 0, 3), 1)).toBe(1)
    expect(await store.purgeLegacyUsage(Date.UTC(2000, 0, 3), 10)).toBe(1)
    expect((await usageOf(userId)).map((row) => row.day)).toEqual(['2000-01-03'])
  })

  test('a known user is found and counted in the same statement batch', async () => {
    const store = createD1Store(env.DB)
    const user = await registerUser(createTestIssuer())
    const use = { at: Date.now(), userId: user.id, client: { userAgent: 'A', appVersion: '' } }
    expect(await store.recordLegacyUse(use, true)).toEqual({ id: user.id, email: user.email })
    expect(await usageOf(user.id)).toMatchObject([{ uses: 1, rejected: 0, exchanges: 1 }])
  })
})
