import { describe, expect, test } from 'vitest'
import { createHarness, requestsTo } from './helpers/harness.ts'
import type { ClockSkewEvent } from '../../client/index.ts'

/** Calls once a minute for `minutes`, returning the server times (s since login) of refreshes. */
async function callEveryMinute(harness: ReturnType<typeof createHarness>, minutes: number) {
  const rotor = await harness.signedIn()
  const start = harness.server.now()
  const refreshedAt: number[] = []
  rotor.onRefresh(() => refreshedAt.push((harness.server.now() - start) / 1000))
  for (let minute = 0; minute < minutes; minute++) {
    await rotor.auth.me.query()
    harness.advance(60)
  }
  return { rotor, refreshedAt }
}

describe('timing by the server clock', () => {
  test.each([
    ['an hour ahead', 3600],
    ['an hour behind', -3600],
    ['a day behind', -86_400],
  ])('a device clock %s refreshes at the right server time, once per token', async (_, skew) => {
    const harness = createHarness({ skewSeconds: skew, accessTokenTtl: 900 })
    const { refreshedAt } = await callEveryMinute(harness, 45)
    // A 900 s token, 60 s margin: due at 840 s; calls land on whole minutes.
    expect(refreshedAt).toEqual([840, 1680, 2520])
    expect(harness.server.refreshCount()).toBe(3)
    expect(requestsTo(harness.server, 'auth.me')).toHaveLength(45)
  })

  test('without correction the same device would refresh on every call, or never', async () => {
    // The control for the test above: the skewed device reads the token's exp as long past.
    const harness = createHarness({ skewSeconds: 3600 })
    const rotor = await harness.signedIn()
    const deviceSeconds = harness.deviceNow() / 1000
    expect(rotor.getSession()!.accessTokenExpiresAt).toBeLessThan(deviceSeconds)
    expect(Math.abs(rotor.serverNow() - harness.server.now())).toBeLessThanOrEqual(1000)
  })

  test('a large skew is reported once, with its size', async () => {
    const harness = createHarness({ skewSeconds: -3600 })
    const rotor = harness.client()
    const events: ClockSkewEvent[] = []
    rotor.onClockSkew((event) => events.push(event))
    await rotor.login({ email: 'ada@example.com', password: 'correct horse battery staple' })
    harness.advance(880)
    await rotor.auth.me.query()
    await rotor.auth.me.query()
    expect(events).toHaveLength(1)
    expect(events[0]!.offsetSeconds).toBeGreaterThanOrEqual(3599)
    expect(events[0]!.offsetSeconds).toBeLessThanOrEqual(3601)
  })

  test('a small skew is not reported', async () => {
    const harness = createHarness({ skewSeconds: 20 })
    const rotor = harness.client()
    const events: ClockSkewEvent[] = []
    rotor.onClockSkew((event) => events.push(event))
    await rotor.login({ email: 'ada@example.com', password: 'correct horse battery staple' })
    expect(events).toEqual([])
  })

  test('a token cut short by the session end refreshes at half its life, then signs out once', async () => {
    // The session's absolute end caps the token at 30 s: less than the 60 s margin.
    const harness = createHarness({ accessTokenTtl: 900, sessionMaxAge: 30 })
    const rotor = await harness.signedIn()
    for (let i = 0; i < 20; i++) await rotor.auth.me.query()
    expect(harness.server.refreshCount()).toBe(0)
    harness.advance(31)
    for (let i = 0; i < 20; i++) await rotor.auth.me.query().catch(() => undefined)
    expect(harness.server.refreshCount()).toBe(1)
    expect(rotor.getSession()).toBeNull()
  })
})
