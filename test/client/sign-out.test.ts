import { describe, expect, test } from 'vitest'
import { createMemoryStorage } from '../../client/index.ts'
import { createHarness, requestsTo } from './helpers/harness.ts'
import type { SignedOutReason } from '../../client/index.ts'

const STORAGE_KEY = 'rotor.refresh-token'

/** A signed-in client that records its sign-out events, with the storage it keeps its token in. */
async function watched(harness = createHarness(), options = {}) {
  const storage = createMemoryStorage()
  const rotor = await harness.signedIn({ storage, ...options })
  const reasons: SignedOutReason[] = []
  rotor.onSignedOut((reason) => reasons.push(reason))
  return { ...harness, rotor, storage, reasons }
}

describe('sign-out on a definitive reason', () => {
  test('SESSION_REVOKED on calls: signs out once, however many calls see it', async () => {
    const { server, rotor, storage, reasons } = await watched()
    server.revokeSession(rotor.getSession()!.sessionId)
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => rotor.auth.me.query()),
    )
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    expect(reasons).toEqual(['SESSION_REVOKED'])
    expect(server.refreshCount()).toBe(0)
    expect(await rotor.getAccessToken()).toBeNull()
    expect(rotor.getSession()).toBeNull()
    expect(await storage.get(STORAGE_KEY)).toBeUndefined()
  })

  test('REFRESH_TOKEN_REUSED: a thief refreshed first; the client signs out once', async () => {
    const { server, rotor, advance, reasons } = await watched()
    const stolen = server.issuedRefreshTokens.at(-1)!
    expect(server.refreshDirectly(stolen).ok).toBe(true)
    advance(880)
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => rotor.auth.me.query()),
    )
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    expect(server.refreshCount()).toBe(1)
    expect(reasons).toEqual(['REFRESH_TOKEN_REUSED'])
  })

  test('SESSION_EXPIRED: idle past the refresh lifetime', async () => {
    const harness = createHarness({ accessTokenTtl: 900, refreshIdleTtl: 1200 })
    const { server, rotor, advance, reasons } = await watched(harness)
    advance(1300)
    // The refresh fails, so the call goes out without a token (public procedures still work).
    await expect(rotor.auth.me.query()).rejects.toMatchObject({ data: { reason: 'TOKEN_MISSING' } })
    expect(reasons).toEqual(['SESSION_EXPIRED'])
    await expect(rotor.auth.me.query()).rejects.toMatchObject({ data: { reason: 'TOKEN_MISSING' } })
    expect(server.refreshCount()).toBe(1)
    expect(reasons).toEqual(['SESSION_EXPIRED'])
  })

  test('REFRESH_TOKEN_INVALID: a stored token the server does not know', async () => {
    const harness = createHarness()
    const storage = createMemoryStorage()
    await storage.set(STORAGE_KEY, 'rt-from-another-deployment')
    const rotor = harness.client({ storage })
    const reasons: SignedOutReason[] = []
    rotor.onSignedOut((reason) => reasons.push(reason))
    expect(await rotor.getAccessToken()).toBeNull()
    expect(await rotor.getAccessToken()).toBeNull()
    expect(reasons).toEqual(['REFRESH_TOKEN_INVALID'])
    expect(harness.server.refreshCount()).toBe(1)
    expect(await storage.get(STORAGE_KEY)).toBeUndefined()
  })

  test('a body-mode client with nothing stored starts signed out, silently, without a request', async () => {
    const { server, client } = createHarness()
    const rotor = client()
    const reasons: SignedOutReason[] = []
    rotor.onSignedOut((reason) => reasons.push(reason))
    expect(await rotor.getAccessToken()).toBeNull()
    expect(reasons).toEqual([])
    expect(server.requests).toHaveLength(0)
  })

  test('a new client resumes from the stored refresh token', async () => {
    const harness = createHarness()
    const storage = createMemoryStorage()
    await harness.signedIn({ storage })
    const resumed = harness.client({ storage })
    await expect(resumed.auth.me.query()).resolves.toMatchObject({ email: 'ada@example.com' })
    expect(harness.server.refreshCount()).toBe(1)
  })
})

describe('logout', () => {
  test('revokes the session on the server, clears storage and reports LOGOUT', async () => {
    const { server, rotor, storage, reasons } = await watched()
    const token = await rotor.getAccessToken()
    await rotor.logout()
    expect(reasons).toEqual(['LOGOUT'])
    expect(await storage.get(STORAGE_KEY)).toBeUndefined()
    const [request] = requestsTo(server, 'auth.logout')
    expect(request?.authorization).toBe(`Bearer ${token}`)
    expect(server.refreshDirectly(server.issuedRefreshTokens.at(-1)!)).toMatchObject({
      reason: 'SESSION_REVOKED',
    })
  })

  test('signs out locally even when the server cannot be reached, and says so', async () => {
    const { server, rotor, reasons } = await watched()
    for (let i = 0; i < 5; i++) server.fault('auth.logout', 'network')
    await expect(rotor.logout()).rejects.toThrow()
    expect(reasons).toEqual(['LOGOUT'])
    expect(await rotor.getAccessToken()).toBeNull()
  })

  test('logoutAll signs every session out, this one included', async () => {
    const harness = createHarness()
    const other = await harness.signedIn()
    const { rotor, reasons } = await watched(harness)
    await expect(rotor.logoutAll()).resolves.toEqual({ revoked: 2 })
    expect(reasons).toEqual(['LOGOUT'])
    await expect(other.auth.me.query()).rejects.toMatchObject({
      data: { reason: 'SESSION_REVOKED' },
    })
  })

  test('logoutAll with keepCurrent keeps this session', async () => {
    const harness = createHarness()
    await harness.signedIn()
    const { rotor, reasons } = await watched(harness)
    await expect(rotor.logoutAll({ keepCurrent: true })).resolves.toEqual({ revoked: 1 })
    expect(reasons).toEqual([])
    await expect(rotor.auth.me.query()).resolves.toMatchObject({ email: 'ada@example.com' })
  })
})
