import { describe, expect, test } from 'vitest'
import { PASSWORD, failure, login } from '../helpers/issuer.ts'
import { legacyIssuer, legacyUser } from './helpers.ts'

// A legacy caller has no session: procedures act on the user's Rotor sessions, none is "current",
// and the legacy token itself cannot be signed out — only the phases end it.
describe('session procedures called with a legacy token (monitor)', () => {
  async function withSessions(count: number) {
    const t = legacyIssuer('monitor')
    const { user, token } = await legacyUser(t)
    const pairs = []
    for (let i = 0; i < count; i++) pairs.push(await login(t, user))
    return { t, user, token, pairs }
  }

  test('sessions.list shows the Rotor sessions, none of them current', async () => {
    const { t, token, pairs } = await withSessions(2)
    const list = await t.call('sessions.list', undefined, { token })
    expect(list.status).toBe(200)
    const ids = list.body.result.data.map((session: { id: string }) => session.id)
    expect(ids.sort()).toEqual(pairs.map((pair) => pair.sessionId).sort())
    expect(list.body.result.data.every((s: { current: boolean }) => !s.current)).toBe(true)
  })

  test('sessions.revoke signs one Rotor session out', async () => {
    const { t, token, pairs } = await withSessions(2)
    const [lost, kept] = pairs
    const revoke = await t.call('sessions.revoke', { sessionId: lost!.sessionId }, { token })
    expect(revoke.status).toBe(200)
    const after = await t.call('auth.me', undefined, { token: lost!.accessToken })
    expect(failure(after).reason).toBe('SESSION_REVOKED')
    expect((await t.call('auth.me', undefined, { token: kept!.accessToken })).status).toBe(200)
  })

  test('auth.logoutAll ends every Rotor session, and the legacy token with them', async () => {
    const { t, token, pairs } = await withSessions(2)
    const result = await t.call('auth.logoutAll', { keepCurrent: true }, { token })
    expect(result.body.result.data).toEqual({ ok: true, revoked: 2 })
    for (const pair of pairs) {
      const me = await t.call('auth.me', undefined, { token: pair.accessToken })
      expect(failure(me).reason).toBe('SESSION_REVOKED')
    }
    // Signing out everywhere reaches legacy tokens too (sign-out-everywhere.test.ts).
    t.advance(1)
    expect(failure(await t.call('auth.me', undefined, { token })).reason).toBe(
      'LEGACY_TOKEN_REJECTED',
    )
  })

  test('auth.changePassword needs the current password and ends every Rotor session', async () => {
    const { t, token, pairs } = await withSessions(1)
    const wrong = await t.call(
      'auth.changePassword',
      { currentPassword: 'not it', newPassword: 'a much better passphrase 42' },
      { token },
    )
    expect(failure(wrong).reason).toBe('INVALID_CREDENTIALS')
    const changed = await t.call(
      'auth.changePassword',
      { currentPassword: PASSWORD, newPassword: 'a much better passphrase 42' },
      { token },
    )
    expect(changed.body.result.data).toEqual({ ok: true, revoked: 1 })
    const me = await t.call('auth.me', undefined, { token: pairs[0]!.accessToken })
    expect(failure(me).reason).toBe('SESSION_REVOKED')
  })

  test('auth.logout has no session to end for a legacy token', async () => {
    const { t, token, pairs } = await withSessions(1)
    expect(failure(await t.call('auth.logout', {}, { token })).reason).toBe('TOKEN_INVALID')
    expect((await t.call('auth.me', undefined, { token: pairs[0]!.accessToken })).status).toBe(200)
  })

  test('in enforce every protected procedure refuses it alike', async () => {
    const t = legacyIssuer('enforce')
    const { token } = await legacyUser(t)
    for (const [path, input] of [
      ['auth.me', undefined],
      ['sessions.list', undefined],
      ['auth.logoutAll', {}],
    ] as const) {
      expect(failure(await t.call(path, input, { token }))).toEqual({
        status: 401,
        reason: 'LEGACY_TOKEN_REJECTED',
      })
    }
  })
})
