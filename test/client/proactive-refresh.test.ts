import { describe, expect, test } from 'vitest'
import { createHarness, requestsTo } from './helpers/harness.ts'

describe('proactive refresh', () => {
  test('calls far from expiry send the token they have and never refresh', async () => {
    const { server, signedIn, advance } = createHarness()
    const rotor = await signedIn()
    for (let i = 0; i < 5; i++) {
      await rotor.auth.me.query()
      advance(60)
    }
    expect(server.refreshCount()).toBe(0)
    expect(requestsTo(server, 'auth.me')).toHaveLength(5)
    expect(requestsTo(server, 'auth.me').every((r) => r.authorization?.startsWith('Bearer '))).toBe(
      true,
    )
  })

  test('a call inside the margin refreshes first, once, then runs on the new token', async () => {
    const { server, signedIn, advance } = createHarness({ accessTokenTtl: 900 })
    const rotor = await signedIn({ refreshMargin: 60 })
    const first = await rotor.getAccessToken()
    advance(900 - 61)
    await rotor.auth.me.query()
    expect(server.refreshCount()).toBe(0)
    advance(2)
    await rotor.auth.me.query()
    await rotor.auth.me.query()
    expect(server.refreshCount()).toBe(1)
    const calls = requestsTo(server, 'auth.me')
    expect(calls.at(-1)?.authorization).not.toBe(`Bearer ${first}`)
    expect(calls.at(-1)?.authorization).toBe(`Bearer ${await rotor.getAccessToken()}`)
  })

  test('a short-lived token refreshes at half its lifetime, not the moment it arrives', async () => {
    const { server, signedIn, advance } = createHarness({ accessTokenTtl: 5 })
    const rotor = await signedIn({ refreshMargin: 60 })
    await rotor.auth.me.query()
    advance(1.5)
    await rotor.auth.me.query()
    expect(server.refreshCount()).toBe(0)
    advance(1.5)
    await rotor.auth.me.query()
    expect(server.refreshCount()).toBe(1)
    await rotor.auth.me.query()
    expect(server.refreshCount()).toBe(1)
  })

  test('50 concurrent calls near expiry cause exactly one refresh request', async () => {
    const { server, signedIn, advance } = createHarness()
    const rotor = await signedIn()
    advance(890)
    const results = await Promise.all(Array.from({ length: 50 }, () => rotor.auth.me.query()))
    expect(results.every((me) => me.email === 'ada@example.com')).toBe(true)
    expect(server.refreshCount()).toBe(1)
    const token = await rotor.getAccessToken()
    const calls = requestsTo(server, 'auth.me')
    expect(calls.every((r) => r.authorization === `Bearer ${token}`)).toBe(true)
    // Batched by the client (at most 10 a request), and never with the refresh.
    expect(calls.every((r) => r.paths.length <= 10)).toBe(true)
  })

  test('onRefresh reports the new timing and never the token', async () => {
    const { signedIn, advance } = createHarness()
    const rotor = await signedIn()
    const events: unknown[] = []
    rotor.onRefresh((event) => events.push(event))
    advance(880)
    await rotor.auth.me.query()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ origin: 'this-tab', user: { email: 'ada@example.com' } })
    expect(JSON.stringify(events[0])).not.toContain(await rotor.getAccessToken())
  })

  test('onSessionExpiring warns once, ahead of the absolute deadline', async () => {
    const { signedIn, advance } = createHarness({ accessTokenTtl: 900, sessionMaxAge: 3600 })
    const rotor = await signedIn({ sessionWarning: 300 })
    const warnings: { secondsLeft: number }[] = []
    rotor.onSessionExpiring((event) => warnings.push(event))
    for (let elapsed = 600; elapsed <= 3000; elapsed += 600) {
      advance(600)
      await rotor.auth.me.query()
    }
    expect(warnings).toHaveLength(0)
    advance(300)
    expect(warnings).toEqual([{ expiresAt: expect.any(Number), secondsLeft: 300 }])
    advance(100)
    await rotor.auth.me.query()
    expect(warnings).toHaveLength(1)
  })
})
