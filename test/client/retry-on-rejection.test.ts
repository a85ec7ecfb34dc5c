import { describe, expect, test } from 'vitest'
import { createHarness, requestsTo } from './helpers/harness.ts'

describe('a call whose token the server rejects', () => {
  test('TOKEN_EXPIRED: refreshes once, retries once, succeeds', async () => {
    const { server, signedIn, advance, setSkew } = createHarness()
    const rotor = await signedIn()
    // The device clock jumps back an hour: the client thinks its token is young.
    setSkew(-3600)
    advance(1000)
    const me = await rotor.auth.me.query()
    expect(me.email).toBe('ada@example.com')
    expect(server.refreshCount()).toBe(1)
    const calls = requestsTo(server, 'auth.me')
    expect(calls).toHaveLength(2)
    expect(calls[0]!.authorization).not.toBe(calls[1]!.authorization)
  })

  test('TOKEN_INVALID after an emergency key rotation: one refresh serves every rejected call', async () => {
    const { server, signedIn } = createHarness()
    const rotor = await signedIn()
    server.invalidateAccessTokens()
    const results = await Promise.all(Array.from({ length: 20 }, () => rotor.auth.me.query()))
    expect(results).toHaveLength(20)
    expect(server.refreshCount()).toBe(1)
  })

  test('never loops: a retried call that is rejected again fails to the caller', async () => {
    const { server, signedIn } = createHarness()
    const rotor = await signedIn()
    server.fault('auth.me', { status: 401, reason: 'TOKEN_EXPIRED' })
    server.fault('auth.me', { status: 401, reason: 'TOKEN_EXPIRED' })
    await expect(rotor.auth.me.query()).rejects.toMatchObject({
      data: { reason: 'TOKEN_EXPIRED' },
    })
    expect(server.refreshCount()).toBe(1)
    expect(requestsTo(server, 'auth.me')).toHaveLength(2)
    // The session is intact: the next call just works.
    await expect(rotor.auth.me.query()).resolves.toMatchObject({ email: 'ada@example.com' })
    expect(server.refreshCount()).toBe(1)
  })

  test('a retry refused for good (revoked since the refresh) signs out, once', async () => {
    const { server, signedIn } = createHarness()
    const rotor = await signedIn()
    const reasons: string[] = []
    rotor.onSignedOut((reason) => reasons.push(reason))
    server.fault('auth.me', { status: 401, reason: 'TOKEN_EXPIRED' })
    server.fault('auth.me', { status: 401, reason: 'SESSION_REVOKED' })
    await expect(rotor.auth.me.query()).rejects.toMatchObject({
      data: { reason: 'SESSION_REVOKED' },
    })
    expect(server.refreshCount()).toBe(1)
    expect(reasons).toEqual(['SESSION_REVOKED'])
    expect(rotor.getSession()).toBeNull()
  })

  test('a 401 about the call itself (wrong current password) neither refreshes nor retries', async () => {
    const { server, signedIn } = createHarness()
    const rotor = await signedIn()
    server.fault('auth.me', { status: 401, reason: 'INVALID_CREDENTIALS' })
    await expect(rotor.auth.me.query()).rejects.toMatchObject({
      data: { reason: 'INVALID_CREDENTIALS' },
    })
    expect(server.refreshCount()).toBe(0)
    expect(requestsTo(server, 'auth.me')).toHaveLength(1)
  })

  test('other failures pass through untouched', async () => {
    const { server, signedIn } = createHarness()
    const rotor = await signedIn()
    server.fault('auth.me', { status: 500 })
    await expect(rotor.auth.me.query()).rejects.toMatchObject({
      data: { reason: 'INTERNAL_ERROR' },
    })
    expect(server.refreshCount()).toBe(0)
    expect(requestsTo(server, 'auth.me')).toHaveLength(1)
  })
})
