import { describe, expect, test } from 'vitest'
import { createTestIssuer, failure, login, me } from '../helpers/issuer.ts'
import { readFeed, statusIdxOf } from '../feed/helpers.ts'
import { challengeFor, enrolledUser, mfaRows, ok } from './helpers.ts'

describe('disabling the second factor', { timeout: 30_000 }, () => {
  const t = createTestIssuer()

  test('needs the password and a current code, and signs out every other session', async () => {
    const mfa = await enrolledUser(t)
    const other = ok(
      await t.call('auth.verifyMfa', {
        challenge: await challengeFor(t, mfa.user),
        code: mfa.nextCode(),
      }),
    )
    const pending = await challengeFor(t, mfa.user)
    const token = mfa.pair.accessToken
    const result = ok(
      await t.call('mfa.disable', { password: mfa.user.password, code: mfa.nextCode() }, { token }),
    )
    expect(result).toEqual({ ok: true, revoked: 1 })
    expect(failure(await me(t, other.accessToken)).reason).toBe('SESSION_REVOKED')
    expect((await me(t, token)).status).toBe(200)
    const rows = await mfaRows(mfa.user.id)
    expect(rows.factor).toBeUndefined()
    expect(rows.codes).toEqual([])
    expect(rows.challenges).toEqual([])
    // The sign-in that was waiting for a code is void, and the next needs none.
    const late = await t.call('auth.verifyMfa', { challenge: pending, code: mfa.nextCode() })
    expect(failure(late).reason).toBe('MFA_CHALLENGE_INVALID')
    expect((await login(t, mfa.user)).accessToken).toBeTypeOf('string')
    expect(ok(await t.call('mfa.status', undefined, { token })).enrolled).toBe(false)
  })

  test('a wrong password or a wrong code changes nothing', async () => {
    const mfa = await enrolledUser(t)
    const token = mfa.pair.accessToken
    const before = await mfaRows(mfa.user.id)
    const badPassword = await t.call(
      'mfa.disable',
      { password: 'wrong password entirely', code: mfa.nextCode() },
      { token },
    )
    expect(failure(badPassword)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    const wrong = mfa.nextCode() === '424242' ? '424243' : '424242'
    const badCode = await t.call(
      'mfa.disable',
      { password: mfa.user.password, code: wrong },
      { token },
    )
    expect(failure(badCode)).toEqual({ status: 401, reason: 'MFA_CODE_INVALID' })
    const neither = await t.call('mfa.disable', { password: mfa.user.password }, { token })
    expect(failure(neither)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
    expect(await mfaRows(mfa.user.id)).toEqual(before)
  })

  test('a recovery code disables it too', async () => {
    const mfa = await enrolledUser(t)
    const input = { password: mfa.user.password, recoveryCode: mfa.recoveryCodes[9] }
    const result = await t.call('mfa.disable', input, { token: mfa.pair.accessToken })
    expect(result.status).toBe(200)
    expect((await mfaRows(mfa.user.id)).factor).toBeUndefined()
  })

  test('the sessions it signs out are in the revocation feed at once', async () => {
    const mfa = await enrolledUser(t)
    const other = ok(
      await t.call('auth.verifyMfa', {
        challenge: await challengeFor(t, mfa.user),
        code: mfa.nextCode(),
      }),
    )
    const input = { password: mfa.user.password, code: mfa.nextCode() }
    // Read (and cached) before; read again with no clock moved: the disabling isolate drops it.
    expect((await readFeed(t)).revoked(statusIdxOf(other.accessToken))).toBe(false)
    expect((await t.call('mfa.disable', input, { token: mfa.pair.accessToken })).status).toBe(200)
    const feed = await readFeed(t)
    expect(feed.revoked(statusIdxOf(other.accessToken))).toBe(true)
    expect(feed.revoked(statusIdxOf(mfa.pair.accessToken))).toBe(false)
  })
})
