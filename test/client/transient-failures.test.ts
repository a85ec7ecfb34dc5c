import { describe, expect, test, vi } from 'vitest'
import { createMemoryStorage } from '../../client/index.ts'
import { createHarness, presentedRefreshToken, requestsTo } from './helpers/harness.ts'
import type { SignedOutReason } from '../../client/index.ts'

async function nearExpiry(options = {}) {
  const harness = createHarness()
  const storage = createMemoryStorage()
  const rotor = await harness.signedIn({ storage, ...options })
  const reasons: SignedOutReason[] = []
  rotor.onSignedOut((reason) => reasons.push(reason))
  const issued = harness.server.issuedRefreshTokens.at(-1)!
  harness.advance(890)
  return { ...harness, rotor, storage, reasons, issued }
}

describe('transient failures never sign out', () => {
  test('5xx, network error and 429 are retried with the same refresh token, Retry-After honoured', async () => {
    const { server, rotor, reasons, issued, sleeps, storage } = await nearExpiry()
    server.fault('auth.refresh', { status: 503 })
    server.fault('auth.refresh', 'network')
    server.fault('auth.refresh', { status: 429, retryAfter: 5 })
    await expect(rotor.auth.me.query()).resolves.toMatchObject({ email: 'ada@example.com' })
    const refreshes = requestsTo(server, 'auth.refresh')
    expect(refreshes).toHaveLength(4)
    expect(refreshes.map((r) => presentedRefreshToken(r.body))).toEqual(Array(4).fill(issued))
    expect(sleeps).toHaveLength(3)
    expect(sleeps[2]).toBe(5000)
    expect(sleeps[0]).toBeGreaterThanOrEqual(250)
    expect(sleeps[0]).toBeLessThanOrEqual(500)
    expect(reasons).toEqual([])
    expect(await storage.get('rotor.refresh-token')).toBe(server.issuedRefreshTokens.at(-1))
  })

  test('a refresh whose response was lost is retried with the same token and gets the same successor', async () => {
    const { server, rotor, reasons, issued, storage } = await nearExpiry()
    server.fault('auth.refresh', 'lost')
    await expect(rotor.auth.me.query()).resolves.toMatchObject({ email: 'ada@example.com' })
    const refreshes = requestsTo(server, 'auth.refresh')
    expect(refreshes.map((r) => presentedRefreshToken(r.body))).toEqual([issued, issued])
    // The server rotated once: the lost response and the retry carried one successor.
    const [lost, retried] = server.issuedRefreshTokens.slice(-2)
    expect(lost).toBe(retried)
    expect(await storage.get('rotor.refresh-token')).toBe(retried)
    expect(reasons).toEqual([])
  })

  test('a request that times out counts as lost and is retried', async () => {
    const { server, rotor, advance, reasons } = await nearExpiry()
    server.fault('auth.refresh', 'timeout')
    const call = rotor.auth.me.query()
    await vi.waitFor(() => expect(server.refreshCount()).toBe(1))
    // The default timeout (4 s) leaves room to retry inside the issuer's 10 s grace window.
    advance(4)
    await expect(call).resolves.toMatchObject({ email: 'ada@example.com' })
    expect(server.refreshCount()).toBe(2)
    expect(reasons).toEqual([])
  })

  test('when retries run out before expiry, the call goes out with the still-valid token', async () => {
    const { server, rotor, reasons } = await nearExpiry({ retry: { attempts: 2 } })
    const before = await rotor.getSession()
    server.fault('auth.refresh', { status: 503 })
    server.fault('auth.refresh', { status: 503 })
    await expect(rotor.auth.me.query()).resolves.toMatchObject({ email: 'ada@example.com' })
    expect(server.refreshCount()).toBe(2)
    expect(rotor.getSession()).toEqual(before)
    expect(reasons).toEqual([])
  })

  test('when retries run out after expiry, the call fails but the session stays for the next one', async () => {
    const { server, rotor, advance, reasons } = await nearExpiry({ retry: { attempts: 3 } })
    advance(20)
    for (let i = 0; i < 3; i++) server.fault('auth.refresh', { status: 502 })
    await expect(rotor.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 502 } })
    expect(reasons).toEqual([])
    expect(rotor.getSession()).not.toBeNull()
    await expect(rotor.auth.me.query()).resolves.toMatchObject({ email: 'ada@example.com' })
    expect(server.refreshCount()).toBe(4)
  })

  test('a Retry-After beyond maxRetryAfter is not waited out: the caller hears of it', async () => {
    const { server, rotor, advance, reasons, sleeps } = await nearExpiry({
      retry: { maxRetryAfter: 30 },
    })
    advance(20)
    server.fault('auth.refresh', { status: 429, retryAfter: 120 })
    await expect(rotor.auth.me.query()).rejects.toMatchObject({
      data: { reason: 'RATE_LIMITED' },
    })
    expect(sleeps).toEqual([])
    expect(reasons).toEqual([])
    expect(server.refreshCount()).toBe(1)
  })

  test('retries of one refresh token stop before the grace window ends, so none looks like theft', async () => {
    const { server, rotor, sleeps } = await nearExpiry({ retry: { attempts: 10 } })
    for (let i = 0; i < 10; i++) server.fault('auth.refresh', { status: 503 })
    await rotor.auth.me.query().catch(() => undefined)
    const waited = sleeps.reduce((sum, ms) => sum + ms, 0)
    expect(waited).toBeLessThanOrEqual(8000)
    expect(server.refreshCount()).toBeGreaterThan(1)
    expect(server.refreshCount()).toBeLessThan(10)
  })
})
