import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createTestIssuer, login, refresh, registerUser, send, signIn } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

/** The user's sessions' revoke reasons, by session id (`null` while live). */
async function reasons(userId: string) {
  const { results } = await env.DB.prepare(
    'SELECT id, revoke_reason FROM sessions WHERE user_id = ?',
  )
    .bind(userId)
    .all<{ id: string; revoke_reason: string | null }>()
  return Object.fromEntries(results.map((row) => [row.id, row.revoke_reason]))
}

/** The user's audit rows about sessions ending, oldest first. */
async function endings(userId: string) {
  const { results } = await env.DB.prepare(
    `SELECT event, user_id AS userId, session_id AS sessionId, detail FROM audit_events
     WHERE user_id = ? AND event NOT IN ('register', 'login.success', 'refresh') ORDER BY id`,
  )
    .bind(userId)
    .all()
  return results
}

const form = (token: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ token }).toString(),
})

async function twoDevices(t: TestIssuer) {
  const { user, pair } = await signIn(t)
  const other = await login(t, user)
  return { user, pair, other }
}

describe('every way a session ends: its reason on the row, one audit row for it', () => {
  test('auth.logout; signing out again writes no second row', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    await t.call('auth.logout', {}, { token: pair.accessToken })
    await t.call('auth.logout', { refreshToken: pair.refreshToken })
    expect(await reasons(user.id)).toEqual({ [pair.sessionId]: 'logout' })
    expect(await endings(user.id)).toEqual([
      { event: 'logout', userId: user.id, sessionId: pair.sessionId, detail: null },
    ])
  })

  test('POST /oauth/revoke', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    await t.request('/oauth/revoke', form(pair.refreshToken))
    await t.request('/oauth/revoke', form(pair.accessToken))
    expect(await reasons(user.id)).toEqual({ [pair.sessionId]: 'logout' })
    expect(await endings(user.id)).toEqual([
      { event: 'logout', userId: user.id, sessionId: pair.sessionId, detail: null },
    ])
  })

  test('sessions.revoke names the revoked device, not the caller', async () => {
    const t = createTestIssuer()
    const { user, pair, other } = await twoDevices(t)
    await t.call('sessions.revoke', { sessionId: other.sessionId }, { token: pair.accessToken })
    expect(await reasons(user.id)).toEqual({ [pair.sessionId]: null, [other.sessionId]: 'revoked' })
    expect(await endings(user.id)).toEqual([
      { event: 'session.revoke', userId: user.id, sessionId: other.sessionId, detail: null },
    ])
  })

  test('refresh-token reuse past the grace window', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    await refresh(t, pair.refreshToken)
    t.advance(11)
    await refresh(t, pair.refreshToken)
    await refresh(t, pair.refreshToken)
    expect(await reasons(user.id)).toEqual({ [pair.sessionId]: 'reuse' })
    expect(await endings(user.id)).toEqual([
      { event: 'refresh.reuse', userId: user.id, sessionId: pair.sessionId, detail: null },
    ])
  })

  test('a refresh from another country with ANOMALY_POLICY=reauth', async () => {
    const t = createTestIssuer({ ANOMALY_POLICY: 'reauth' })
    const user = await registerUser(t)
    const where = (country: string) => ({ cf: { country }, method: 'POST' })
    const headers = { 'content-type': 'application/json' }
    const body = JSON.stringify({ email: user.email, password: user.password })
    const pair = (await send(t.app, '/trpc/auth.login', { ...where('DE'), headers, body })).body
      .result.data
    const abroad = JSON.stringify({ refreshToken: pair.refreshToken })
    await send(t.app, '/trpc/auth.refresh', { ...where('BR'), headers, body: abroad })
    expect((await reasons(user.id))[pair.sessionId]).toBe('anomaly')
    expect(await endings(user.id)).toEqual([
      {
        event: 'refresh.anomaly',
        userId: user.id,
        sessionId: pair.sessionId,
        detail: 'new-country',
      },
    ])
  })

  test('auth.logoutAll keeping the current session: one row, naming the caller', async () => {
    const t = createTestIssuer()
    const { user, pair, other } = await twoDevices(t)
    await t.call('auth.logoutAll', { keepCurrent: true }, { token: pair.accessToken })
    expect(await reasons(user.id)).toEqual({
      [pair.sessionId]: null,
      [other.sessionId]: 'logout-all',
    })
    expect(await endings(user.id)).toEqual([
      { event: 'logout.all', userId: user.id, sessionId: pair.sessionId, detail: null },
    ])
  })

  test('auth.changePassword ends every other session', async () => {
    const t = createTestIssuer()
    const { user, pair, other } = await twoDevices(t)
    const input = { currentPassword: user.password, newPassword: 'a whole new passphrase' }
    await t.call('auth.changePassword', input, { token: pair.accessToken })
    expect(await reasons(user.id)).toEqual({
      [pair.sessionId]: null,
      [other.sessionId]: 'password-change',
    })
    expect(await endings(user.id)).toEqual([
      { event: 'password.change', userId: user.id, sessionId: pair.sessionId, detail: null },
    ])
  })
})
