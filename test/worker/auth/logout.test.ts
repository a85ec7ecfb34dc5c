import { describe, expect, test } from 'vitest'
import { createTestIssuer, failure, login, me, refresh, signIn } from '../helpers/issuer.ts'

describe('sign-out', () => {
  test('auth.logout kills every access token the session ever received, at once', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const accessTokens = [pair.accessToken]
    let current = pair
    for (let i = 0; i < 3; i++) {
      t.advance(60)
      current = (await refresh(t, current.refreshToken)).body.result.data
      accessTokens.push(current.accessToken)
    }
    for (const token of accessTokens) expect((await me(t, token)).status).toBe(200)
    const out = await t.call('auth.logout', {}, { token: current.accessToken })
    expect(out.status).toBe(200)
    expect(out.body.result.data).toEqual({ ok: true })
    for (const token of accessTokens) {
      expect(failure(await me(t, token))).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
    }
    expect(failure(await refresh(t, current.refreshToken))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
  })

  test('works with only the refresh token once the access token has expired', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    t.advance(3600)
    expect(failure(await me(t, pair.accessToken))).toEqual({ status: 401, reason: 'TOKEN_EXPIRED' })
    const out = await t.call(
      'auth.logout',
      { refreshToken: pair.refreshToken },
      { token: pair.accessToken },
    )
    expect(out.status).toBe(200)
    expect(failure(await refresh(t, pair.refreshToken))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
  })

  test('with no credentials is TOKEN_MISSING; with a bad refresh token changes nothing', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    expect(failure(await t.call('auth.logout', {}))).toEqual({
      status: 401,
      reason: 'TOKEN_MISSING',
    })
    const bad = await t.call('auth.logout', { refreshToken: 'A'.repeat(43) })
    expect(failure(bad)).toEqual({ status: 401, reason: 'REFRESH_TOKEN_INVALID' })
    expect((await me(t, pair.accessToken)).status).toBe(200)
  })

  test('signs out only the caller’s session', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const other = await login(t, user)
    await t.call('auth.logout', {}, { token: pair.accessToken })
    expect((await me(t, other.accessToken)).status).toBe(200)
  })
})

describe('sign-out everywhere', () => {
  test('logoutAll revokes every session of the user and counts them', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const phone = await login(t, user)
    const laptop = await login(t, user)
    const out = await t.call('auth.logoutAll', {}, { token: pair.accessToken })
    expect(out.body.result.data).toEqual({ ok: true, revoked: 3 })
    for (const session of [pair, phone, laptop]) {
      expect(failure(await me(t, session.accessToken))).toEqual({
        status: 401,
        reason: 'SESSION_REVOKED',
      })
    }
  })

  test('keepCurrent signs out every other device and keeps this one', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const phone = await login(t, user)
    const out = await t.call('auth.logoutAll', { keepCurrent: true }, { token: pair.accessToken })
    expect(out.body.result.data).toEqual({ ok: true, revoked: 1 })
    expect((await me(t, pair.accessToken)).status).toBe(200)
    expect(failure(await me(t, phone.accessToken))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
    expect(failure(await refresh(t, phone.refreshToken))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
  })

  test('other users’ sessions are untouched', async () => {
    const t = createTestIssuer()
    const alice = await signIn(t)
    const bob = await signIn(t)
    await t.call('auth.logoutAll', {}, { token: alice.pair.accessToken })
    expect((await me(t, bob.pair.accessToken)).status).toBe(200)
  })
})

describe('password change', () => {
  test('revokes every other session in the same step; the new password signs in', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const phone = await login(t, user)
    const newPassword = 'a brand new passphrase'
    const out = await t.call(
      'auth.changePassword',
      { currentPassword: user.password, newPassword },
      { token: pair.accessToken },
    )
    expect(out.body.result.data).toEqual({ ok: true, revoked: 1 })
    expect((await me(t, pair.accessToken)).status).toBe(200)
    expect(failure(await me(t, phone.accessToken))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
    expect(failure(await t.call('auth.login', user))).toEqual({
      status: 401,
      reason: 'INVALID_CREDENTIALS',
    })
    expect((await login(t, { email: user.email, password: newPassword })).user.id).toBe(user.id)
  })

  test('a wrong current password or a weak new one changes nothing', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const phone = await login(t, user)
    const wrong = await t.call(
      'auth.changePassword',
      { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
      { token: pair.accessToken },
    )
    expect(failure(wrong)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    const weak = await t.call(
      'auth.changePassword',
      { currentPassword: user.password, newPassword: 'password' },
      { token: pair.accessToken },
    )
    expect(failure(weak)).toEqual({ status: 400, reason: 'WEAK_PASSWORD' })
    expect((await me(t, phone.accessToken)).status).toBe(200)
    expect((await login(t, user)).user.id).toBe(user.id)
  })
})
