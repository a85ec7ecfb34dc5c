import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { decodeJwt } from 'jose'
import { createTestIssuer, failure, login, refresh, registerUser, send } from '../helpers/issuer.ts'
import { enrolledUser, mfaRows, ok } from './helpers.ts'

describe('step-up inside a live session', { timeout: 30_000 }, () => {
  const t = createTestIssuer()

  test('moves auth_time on and adds otp and mfa, in a fresh access token and every refresh', async () => {
    const mfa = await enrolledUser(t)
    const signedInAt = Math.floor(t.issuer.now() / 1000)
    expect(decodeJwt(mfa.pair.accessToken)).toMatchObject({ amr: ['pwd'], acr: 'urn:rotor:aal1' })
    t.advance(600)
    const stepped = ok(
      await t.call('auth.stepUp', { code: mfa.code() }, { token: mfa.pair.accessToken }),
    )
    const now = Math.floor(t.issuer.now() / 1000)
    expect(stepped).toMatchObject({
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'urn:rotor:aal2',
      authTime: now,
    })
    const claims = decodeJwt(stepped.accessToken)
    expect(claims).toMatchObject({
      sid: mfa.pair.sessionId,
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'urn:rotor:aal2',
      auth_time: now,
    })
    expect(now).toBeGreaterThan(signedInAt)
    // No new session: the same refresh token still rotates, and the claims stay.
    const refreshed = ok(await refresh(t, mfa.pair.refreshToken))
    expect(refreshed.sessionId).toBe(mfa.pair.sessionId)
    expect(decodeJwt(refreshed.accessToken)).toMatchObject({
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'urn:rotor:aal2',
      auth_time: now,
    })
    const list = ok(await t.call('sessions.list', undefined, { token: refreshed.accessToken }))
    expect(list.filter((s: { current: boolean }) => s.current)).toMatchObject([
      { amr: ['pwd', 'otp', 'mfa'], acr: 'urn:rotor:aal2', authTime: now },
    ])
    const introspected = await send(t.app, '/oauth/introspect', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${env.INTROSPECTION_SECRET}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: refreshed.accessToken }),
    })
    expect(introspected.body).toMatchObject({
      active: true,
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'urn:rotor:aal2',
      auth_time: now,
    })
  })

  test('a wrong, replayed or other user’s code changes nothing', async () => {
    const mfa = await enrolledUser(t)
    const other = await enrolledUser(t)
    const token = mfa.pair.accessToken
    const code = mfa.nextCode()
    expect((await t.call('auth.stepUp', { code }, { token })).status).toBe(200)
    const before = await mfaRows(mfa.user.id)
    const replayed = await t.call('auth.stepUp', { code }, { token })
    expect(failure(replayed)).toEqual({ status: 401, reason: 'MFA_CODE_INVALID' })
    t.advance(30)
    while (other.code() === mfa.code()) t.advance(30)
    const foreign = await t.call('auth.stepUp', { code: other.code() }, { token })
    expect(failure(foreign).reason).toBe('MFA_CODE_INVALID')
    const wrong = mfa.code() === '999999' ? '999998' : '999999'
    expect(failure(await t.call('auth.stepUp', { code: wrong }, { token })).reason).toBe(
      'MFA_CODE_INVALID',
    )
    const after = await mfaRows(mfa.user.id)
    expect(after.sessions).toEqual(before.sessions)
    expect(after.factor).toEqual(before.factor)
  })

  test('a recovery code steps up too and says how many are left', async () => {
    const mfa = await enrolledUser(t)
    const stepped = ok(
      await t.call(
        'auth.stepUp',
        { recoveryCode: mfa.recoveryCodes[0] },
        { token: mfa.pair.accessToken },
      ),
    )
    expect(stepped.recoveryCodesLeft).toBe(9)
    expect(stepped.acr).toBe('urn:rotor:aal2')
  })

  test('without a factor there is nothing to step up with', async () => {
    const user = await registerUser(t)
    const pair = await login(t, user)
    const before = await mfaRows(user.id)
    const result = await t.call('auth.stepUp', { code: '123456' }, { token: pair.accessToken })
    expect(failure(result)).toEqual({ status: 400, reason: 'MFA_NOT_ENROLLED' })
    expect(await mfaRows(user.id)).toEqual(before)
  })
})
