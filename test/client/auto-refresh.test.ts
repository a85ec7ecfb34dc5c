import { afterEach, describe, expect, test, vi } from 'vitest'
import { createHarness, requestsTo } from './helpers/harness.ts'
import type { AppLifecycle, SignedOutReason } from '../../client/index.ts'

/** Lets the fake issuer answer and the client adopt what it sent: a few turns of the event loop. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** An app that goes to the background and back, as a page's visibility or React Native's AppState. */
function fakeLifecycle(): AppLifecycle & { set(active: boolean): void; listeners: number } {
  let active = true
  const listeners = new Set<() => void>()
  return {
    isActive: () => active,
    subscribe(onChange) {
      listeners.add(onChange)
      return () => void listeners.delete(onChange)
    },
    set(next) {
      active = next
      for (const listener of [...listeners]) listener()
    },
    get listeners() {
      return listeners.size
    },
  }
}

describe('background refresh', () => {
  test('an idle client refreshes by itself before each expiry, with no call', async () => {
    const { server, signedIn, advance } = createHarness({ accessTokenTtl: 900 })
    const rotor = await signedIn({ refreshMargin: 60 })
    const refreshedAt: number[] = []
    rotor.onRefresh(() => refreshedAt.push(server.now() / 1000))
    const start = server.now() / 1000
    advance(839)
    await settle()
    expect(server.refreshCount()).toBe(0)
    for (const step of [1, 840, 840]) {
      advance(step)
      await settle()
    }
    expect(refreshedAt.map((at) => at - start)).toEqual([840, 1680, 2520])
    expect(server.refreshCount()).toBe(3)
    expect(requestsTo(server, 'auth.me')).toHaveLength(0)
    expect(rotor.getSession()!.accessTokenExpiresAt).toBe(start + 2520 + 900)
  })

  test('autoRefresh: false refreshes only when a call needs a token', async () => {
    const { server, signedIn, advance } = createHarness()
    const rotor = await signedIn({ autoRefresh: false })
    advance(899)
    await settle()
    expect(server.refreshCount()).toBe(0)
    await rotor.auth.me.query()
    expect(server.refreshCount()).toBe(1)
  })

  test('a session revoked elsewhere signs the idle client out at its next refresh', async () => {
    const { server, signedIn, advance } = createHarness({ accessTokenTtl: 20 })
    const rotor = await signedIn()
    const reasons: SignedOutReason[] = []
    rotor.onSignedOut((reason) => reasons.push(reason))
    server.revokeSession(rotor.getSession()!.sessionId)
    advance(10)
    await settle()
    expect(reasons).toEqual(['SESSION_REVOKED'])
    expect(rotor.getSession()).toBeNull()
    advance(600)
    await settle()
    expect(server.refreshCount()).toBe(1)
  })

  test('paused in the background; on return to the foreground it catches up at once', async () => {
    const { server, signedIn, advance } = createHarness({ accessTokenTtl: 900 })
    const lifecycle = fakeLifecycle()
    const rotor = await signedIn({ lifecycle })
    lifecycle.set(false)
    advance(1200)
    await settle()
    expect(server.refreshCount()).toBe(0)
    lifecycle.set(true)
    await settle()
    expect(server.refreshCount()).toBe(1)
    expect(rotor.getSession()!.accessTokenExpiresAt * 1000).toBeGreaterThan(rotor.serverNow())
  })

  test('offline: keeps the session, waits instead of spinning, retries when the network returns', async () => {
    const { server, signedIn, advance } = createHarness({ accessTokenTtl: 900 })
    const lifecycle = fakeLifecycle()
    const rotor = await signedIn({ lifecycle, retry: { attempts: 1 } })
    const reasons: SignedOutReason[] = []
    rotor.onSignedOut((reason) => reasons.push(reason))
    for (let i = 0; i < 3; i++) server.fault('auth.refresh', 'network')
    advance(840)
    await settle()
    expect(server.refreshCount()).toBe(1)
    advance(5)
    await settle()
    expect(server.refreshCount()).toBe(1)
    advance(15)
    await settle()
    expect(server.refreshCount()).toBe(2)
    // The 'online' event (here, any lifecycle change) cuts the wait short.
    lifecycle.set(true)
    await settle()
    expect(server.refreshCount()).toBe(3)
    lifecycle.set(true)
    await settle()
    expect(server.refreshCount()).toBe(4)
    expect(reasons).toEqual([])
    expect(rotor.getSession()!.accessTokenExpiresAt * 1000 - server.now()).toBe(900_000)
  })

  test('near the absolute deadline it does not refresh over and over; at the end it signs out', async () => {
    const { server, signedIn, advance } = createHarness({
      accessTokenTtl: 900,
      sessionMaxAge: 1000,
    })
    const rotor = await signedIn()
    const reasons: SignedOutReason[] = []
    rotor.onSignedOut((reason) => reasons.push(reason))
    for (let elapsed = 0; elapsed < 999; elapsed += 1) {
      advance(1)
      await settle()
    }
    expect(reasons).toEqual([])
    // 840: a token capped at 1000; 940: the same deadline again, so it waits for expiry.
    expect(server.refreshCount()).toBe(2)
    advance(1)
    await settle()
    expect(reasons).toEqual(['SESSION_EXPIRED'])
    expect(server.refreshCount()).toBe(3)
  })

  test('close() stops the background refresh and lets go of the lifecycle', async () => {
    const { server, signedIn, advance } = createHarness()
    const lifecycle = fakeLifecycle()
    const rotor = await signedIn({ lifecycle })
    // The background refresh and the foreground check each follow it.
    expect(lifecycle.listeners).toBe(2)
    rotor.close()
    expect(lifecycle.listeners).toBe(0)
    advance(1800)
    await settle()
    expect(server.refreshCount()).toBe(0)
  })
})

describe('background refresh in a browser page', () => {
  afterEach(() => vi.unstubAllGlobals())

  test('follows the page: paused while hidden, catches up on visibility, focus and online', async () => {
    const document = Object.assign(new EventTarget(), { visibilityState: 'hidden' })
    const window = new EventTarget()
    vi.stubGlobal('document', document)
    vi.stubGlobal('addEventListener', window.addEventListener.bind(window))
    vi.stubGlobal('removeEventListener', window.removeEventListener.bind(window))
    const { server, signedIn, advance } = createHarness({ accessTokenTtl: 900 })
    await signedIn({ retry: { attempts: 1 } })
    advance(1000)
    await settle()
    expect(server.refreshCount()).toBe(0)
    document.visibilityState = 'visible'
    document.dispatchEvent(new Event('visibilitychange'))
    await settle()
    expect(server.refreshCount()).toBe(1)
    server.fault('auth.refresh', 'network')
    advance(840)
    await settle()
    expect(server.refreshCount()).toBe(2)
    window.dispatchEvent(new Event('online'))
    await settle()
    expect(server.refreshCount()).toBe(3)
    server.fault('auth.refresh', 'network')
    advance(840)
    await settle()
    window.dispatchEvent(new Event('focus'))
    await settle()
    expect(server.refreshCount()).toBe(5)
  })
})
