import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createTestIssuer, me, refresh, registerUser } from '../helpers/issuer.ts'
import { createIdpIssuer, idClaims, signIdToken, signInWithIdToken } from './helpers.ts'

// The deployed entry's SessionService, reached the way a trusted backend reaches it: from another
// worker (test/worker/identity/workers/trusted-backend.ts) through a service binding. The issuer
// behind it runs on the real clock, so the test issuer here only shares its database.
async function startSession(input: unknown): Promise<{ returned?: any; thrown?: string }> {
  const response = await env.TEST_BACKEND.fetch('http://backend/', {
    method: 'POST',
    body: JSON.stringify(input),
  })
  return response.json()
}

describe('SessionService over a service binding', () => {
  test('starts a session for a user id; the tokens work and the start is audited', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const { returned } = await startSession({ userId: user.id, deviceName: 'backend' })
    expect(returned.ok).toBe(true)
    const { tokens } = returned
    expect(tokens.user).toEqual({ id: user.id, email: user.email })
    expect((await me(t, tokens.accessToken)).body.result.data.id).toBe(user.id)
    expect((await refresh(t, tokens.refreshToken)).status).toBe(200)
    const audit = await t.call('audit.list', undefined, { token: tokens.accessToken })
    expect(audit.body.result.data).toContainEqual(
      expect.objectContaining({ event: 'session.start', detail: 'service trusted-backend' }),
    )
  })

  test('starts a session for a linked identity (provider, subject)', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t)
    const first = await signInWithIdToken(t, { idToken: await signIdToken(claims) })
    const userId = first.body.result.data.user.id
    const identity = { provider: claims.iss, subject: claims.sub }
    const { returned } = await startSession({ identity })
    expect(returned).toMatchObject({ ok: true, tokens: { user: { id: userId } } })
  })

  test('an unknown user or identity is USER_NOT_FOUND, as a value the caller can read', async () => {
    for (const input of [
      { userId: crypto.randomUUID() },
      { identity: { provider: 'https://idp.test', subject: 'nobody' } },
    ]) {
      const { returned } = await startSession(input)
      expect(returned).toEqual({
        ok: false,
        reason: 'USER_NOT_FOUND',
        message: 'No user matches that userId or identity',
      })
    }
  })

  test('input naming the user twice, or not at all, or with unknown fields is INVALID_INPUT', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    for (const input of [
      {},
      { userId: user.id, identity: { provider: 'https://idp.test', subject: 'x' } },
      { userId: user.id, delivery: 'carrier-pigeon' },
      { userId: user.id, role: 'admin' },
      { userId: user.id, clientId: 'not-listed' },
    ]) {
      const { returned } = await startSession(input)
      expect(returned, JSON.stringify(input)).toMatchObject({ ok: false, reason: 'INVALID_INPUT' })
    }
  })

  test('cookie delivery hands back the Set-Cookie to forward, and no refresh token', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const { returned } = await startSession({ userId: user.id, delivery: 'cookie' })
    expect(returned.ok).toBe(true)
    expect(returned.tokens.refreshToken).toBeUndefined()
    expect(returned.setCookie).toMatch(/^__Secure-rotor-refresh=[^;]+;.*HttpOnly/)
    expect((await me(t, returned.tokens.accessToken)).status).toBe(200)
  })

  test('no HTTP route reaches it', async () => {
    const t = createTestIssuer()
    for (const path of ['/SessionService', '/startSession', '/rpc/startSession']) {
      expect((await t.request(path, { method: 'POST', body: '{}' })).status).toBe(404)
    }
  })
})
