import { describe, expect, test } from 'vitest'
import { createChannelHub, createFakeLocks } from './helpers/fake-tabs.ts'
import { createHarness, EMAIL, PASSWORD } from './helpers/harness.ts'
import type { RefreshEvent, SignedOutReason } from '../../client/index.ts'

const tick = () => new Promise((resolve) => setImmediate(resolve))

/** Two tabs of one browser: one cookie jar, one lock manager, one channel name. */
async function twoTabs(lockTimeout = 15, autoRefresh = true) {
  const harness = createHarness()
  const locks = createFakeLocks()
  const hub = createChannelHub()
  const tab = () =>
    harness.client({
      delivery: 'cookie',
      crossTab: { locks, channel: hub.open(), lockTimeout },
      autoRefresh,
    })
  const a = tab()
  const b = tab()
  const reasons = { a: [] as SignedOutReason[], b: [] as SignedOutReason[] }
  a.onSignedOut((reason) => reasons.a.push(reason))
  b.onSignedOut((reason) => reasons.b.push(reason))
  await a.login({ email: EMAIL, password: PASSWORD })
  await tick()
  return { ...harness, locks, a, b, reasons }
}

describe('browser tabs', () => {
  test('signing in in one tab signs the other in', async () => {
    const { a, b, server } = await twoTabs()
    expect(b.getSession()).toEqual(a.getSession())
    await expect(b.auth.me.query()).resolves.toMatchObject({ email: EMAIL })
    expect(server.refreshCount()).toBe(0)
  })

  test('both tabs near expiry: one refresh between them, and both use its token', async () => {
    const { a, b, server, advance } = await twoTabs()
    const seenByB: RefreshEvent[] = []
    b.onRefresh((event) => seenByB.push(event))
    advance(880)
    const calls = Array.from({ length: 25 }, () => [a.auth.me.query(), b.auth.me.query()]).flat()
    await Promise.all(calls)
    expect(server.refreshCount()).toBe(1)
    expect(await b.getAccessToken()).toBe(await a.getAccessToken())
    expect(seenByB.map((event) => event.origin)).toEqual(['other-tab'])
  })

  test('signing out in one tab signs the other out, once', async () => {
    const { a, b, reasons, server } = await twoTabs()
    await a.logout()
    await tick()
    expect(reasons).toEqual({ a: ['LOGOUT'], b: ['LOGOUT'] })
    const before = server.requests.length
    expect(await b.getAccessToken()).toBeNull()
    expect(server.requests.length).toBe(before)
  })

  test('a revocation seen by one tab ends the session in both', async () => {
    const { a, reasons, server } = await twoTabs()
    server.revokeSession(a.getSession()!.sessionId)
    await a.auth.me.query().catch(() => undefined)
    await tick()
    expect(reasons).toEqual({ a: ['SESSION_REVOKED'], b: ['SESSION_REVOKED'] })
  })

  test('a frozen tab holding the lock is stolen from after the lock timeout', async () => {
    // Without background refreshes: only this one call waits for the lock, and steals it.
    const { a, server, advance, locks } = await twoTabs(15, false)
    // The frozen tab's request rejects once its lock is stolen; the tab itself never notices.
    const frozen = locks.request('frozen tab', {}, () => new Promise<never>(() => {}))
    frozen.catch(() => undefined)
    advance(880)
    const call = a.auth.me.query()
    await tick()
    expect(server.refreshCount()).toBe(0)
    advance(15)
    await expect(call).resolves.toMatchObject({ email: EMAIL })
    expect(server.refreshCount()).toBe(1)
  })
})

describe('outside a browser', () => {
  test('clients in one Node process never coordinate: there are no tabs', async () => {
    const harness = createHarness()
    const first = harness.client({ delivery: 'cookie' })
    const second = harness.client({ delivery: 'cookie' })
    const reasons: SignedOutReason[] = []
    second.onSignedOut((reason) => reasons.push(reason))
    await first.login({ email: EMAIL, password: PASSWORD })
    await tick()
    expect(second.getSession()).toBeNull()
    await first.logout()
    await tick()
    expect(reasons).toEqual([])
  })
})
