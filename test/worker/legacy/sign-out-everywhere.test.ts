import { describe, expect, test } from 'vitest'
import { failure, login } from '../helpers/issuer.ts'
import { legacyIssuer, legacyToken, legacyUser, usageOf } from './helpers.ts'

// Legacy tokens cannot be revoked one by one; a user's own "sign out everywhere" and a password
// change must still reach them (DESIGN §4), or a thief keeps a key the user cannot take back.
describe('legacy tokens after the user signs out everywhere', () => {
  test('a password change refuses every legacy token issued before it', async () => {
    const t = legacyIssuer('monitor')
    const { user, token } = await legacyUser(t)
    expect((await t.call('auth.me', undefined, { token })).status).toBe(200)
    const pair = await login(t, user)
    const change = await t.call(
      'auth.changePassword',
      { currentPassword: user.password, newPassword: 'a fresh passphrase here' },
      { token: pair.accessToken },
    )
    expect(change.status).toBe(200)
    t.advance(1)
    expect(failure(await t.call('auth.me', undefined, { token }))).toEqual({
      status: 401,
      reason: 'LEGACY_TOKEN_REJECTED',
    })
    expect(failure(await t.call('auth.exchangeLegacy', { token }))).toEqual({
      status: 401,
      reason: 'LEGACY_TOKEN_REJECTED',
    })
    // A token the old system issues after the change still works.
    const fresh = await legacyToken(user.id, { issuedAt: Math.floor(t.issuer.now() / 1000) })
    expect((await t.call('auth.me', undefined, { token: fresh })).status).toBe(200)
    expect((await usageOf(user.id)).reduce((sum, row) => sum + row.rejected, 0)).toBe(2)
  })

  test('logoutAll refuses them too, and a legacy caller cannot undo that', async () => {
    const t = legacyIssuer('monitor')
    const { user, token } = await legacyUser(t)
    const pair = await login(t, user)
    await t.call('auth.logoutAll', { keepCurrent: true }, { token: pair.accessToken })
    t.advance(1)
    expect(failure(await t.call('auth.logoutAll', {}, { token }))).toEqual({
      status: 401,
      reason: 'LEGACY_TOKEN_REJECTED',
    })
    expect((await t.call('auth.me', undefined, { token: pair.accessToken })).status).toBe(200)
  })
})
