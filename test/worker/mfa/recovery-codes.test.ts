import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { decodeJwt } from 'jose'
import { createTestIssuer, failure } from '../helpers/issuer.ts'
import { challengeFor, enrolledUser, mfaRows, ok } from './helpers.ts'

describe('recovery codes', { timeout: 30_000 }, () => {
  const t = createTestIssuer()

  const recoveryAudit = async (userId: string) =>
    (
      await env.DB.prepare(
        "SELECT detail FROM audit_events WHERE user_id = ? AND event = 'mfa.recovery-code' ORDER BY id",
      )
        .bind(userId)
        .all<{ detail: string }>()
    ).results.map((row) => row.detail)

  test('one signs in once, tells how many are left, and is audited', async () => {
    const mfa = await enrolledUser(t)
    const [code] = mfa.recoveryCodes
    const challenge = await challengeFor(t, mfa.user)
    const signedIn = ok(await t.call('auth.verifyMfa', { challenge, recoveryCode: code }))
    expect(signedIn.recoveryCodesLeft).toBe(9)
    expect(decodeJwt(signedIn.accessToken)).toMatchObject({ amr: ['pwd', 'otp', 'mfa'] })
    expect(await recoveryAudit(mfa.user.id)).toEqual(['9 left'])
    const status = ok(await t.call('mfa.status', undefined, { token: signedIn.accessToken }))
    expect(status.recoveryCodesLeft).toBe(9)

    const before = await mfaRows(mfa.user.id)
    const again = await challengeFor(t, mfa.user)
    const reused = await t.call('auth.verifyMfa', { challenge: again, recoveryCode: code })
    expect(failure(reused)).toEqual({ status: 401, reason: 'MFA_CODE_INVALID' })
    const after = await mfaRows(mfa.user.id)
    expect(after.codes).toEqual(before.codes)
    expect(after.sessions).toEqual(before.sessions)
  })

  test('case, dashes and spaces do not matter', async () => {
    const mfa = await enrolledUser(t)
    const shown = mfa.recoveryCodes[3]!
    const typed = ` ${shown.replaceAll('-', ' ').toUpperCase()} `
    const challenge = await challengeFor(t, mfa.user)
    expect((await t.call('auth.verifyMfa', { challenge, recoveryCode: typed })).status).toBe(200)
  })

  test('regenerating with a current code voids the old set', async () => {
    const mfa = await enrolledUser(t)
    const token = mfa.pair.accessToken
    const fresh = ok(
      await t.call('mfa.regenerateRecoveryCodes', { code: mfa.nextCode() }, { token }),
    )
    expect(fresh.recoveryCodes).toHaveLength(10)
    expect(fresh.recoveryCodes.some((c: string) => mfa.recoveryCodes.includes(c))).toBe(false)
    const old = await t.call('auth.verifyMfa', {
      challenge: await challengeFor(t, mfa.user),
      recoveryCode: mfa.recoveryCodes[0],
    })
    expect(failure(old).reason).toBe('MFA_CODE_INVALID')
    const renewed = await t.call('auth.verifyMfa', {
      challenge: await challengeFor(t, mfa.user),
      recoveryCode: fresh.recoveryCodes[0],
    })
    expect(renewed.status).toBe(200)
    expect(renewed.body.result.data.recoveryCodesLeft).toBe(9)
  })

  test('regenerating with a recovery code spends it too; the new set is whole', async () => {
    const mfa = await enrolledUser(t)
    const token = mfa.pair.accessToken
    const input = { recoveryCode: mfa.recoveryCodes[0] }
    const fresh = ok(await t.call('mfa.regenerateRecoveryCodes', input, { token }))
    expect(ok(await t.call('mfa.status', undefined, { token })).recoveryCodesLeft).toBe(10)
    const again = await t.call('mfa.regenerateRecoveryCodes', input, { token })
    expect(failure(again).reason).toBe('MFA_CODE_INVALID')
    expect((await mfaRows(mfa.user.id)).codes).toHaveLength(fresh.recoveryCodes.length)
  })

  test('regenerating with a wrong code changes nothing', async () => {
    const mfa = await enrolledUser(t)
    const before = await mfaRows(mfa.user.id)
    const wrong = mfa.nextCode() === '000000' ? '000001' : '000000'
    const result = await t.call(
      'mfa.regenerateRecoveryCodes',
      { code: wrong },
      { token: mfa.pair.accessToken },
    )
    expect(failure(result)).toEqual({ status: 401, reason: 'MFA_CODE_INVALID' })
    expect(await mfaRows(mfa.user.id)).toEqual(before)
  })

  test('another user’s recovery code is no code here', async () => {
    const victim = await enrolledUser(t)
    const attacker = await enrolledUser(t)
    const before = await mfaRows(victim.user.id)
    const result = await t.call('auth.verifyMfa', {
      challenge: await challengeFor(t, victim.user),
      recoveryCode: attacker.recoveryCodes[0],
    })
    expect(failure(result).reason).toBe('MFA_CODE_INVALID')
    expect((await mfaRows(victim.user.id)).codes).toEqual(before.codes)
    expect((await mfaRows(attacker.user.id)).codes).toHaveLength(10)
  })
})
