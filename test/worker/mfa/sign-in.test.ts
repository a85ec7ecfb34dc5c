import { describe, expect, test } from 'vitest'
import { decodeJwt } from 'jose'
import { createTestIssuer, failure, login, refresh, registerUser } from '../helpers/issuer.ts'
import { challengeFor, enrolledUser, mfaRows, ok } from './helpers.ts'

describe('two-step sign-in', { timeout: 30_000 }, () => {
  const t = createTestIssuer()

  test('a password alone answers MFA_REQUIRED with a challenge and starts no session', async () => {
    const mfa = await enrolledUser(t)
    const before = await mfaRows(mfa.user.id)
    const result = await t.call('auth.login', mfa.user)
    expect(failure(result)).toEqual({ status: 401, reason: 'MFA_REQUIRED' })
    const { challenge, expiresAt, methods } = result.body.error.data.mfa
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(expiresAt).toBe(Math.floor(t.issuer.now() / 1000) + 300)
    expect(methods).toEqual(['totp', 'recovery_code'])
    const after = await mfaRows(mfa.user.id)
    expect(after.sessions).toEqual(before.sessions)
    expect(after.challenges).toHaveLength(1)
    expect(JSON.stringify(after)).not.toContain(challenge)
  })

  test('the challenge and a code complete it: the token pair with amr, acr and auth_time', async () => {
    const mfa = await enrolledUser(t)
    const challenge = await challengeFor(t, mfa.user, { deviceName: 'phone', clientId: 'ios' })
    const pair = ok(await t.call('auth.verifyMfa', { challenge, code: mfa.nextCode() }))
    expect(pair.refreshToken).toBeTypeOf('string')
    const claims = decodeJwt(pair.accessToken)
    expect(claims).toMatchObject({
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'urn:rotor:aal2',
      auth_time: Math.floor(t.issuer.now() / 1000),
      client_id: 'ios',
    })
    t.advance(60)
    const refreshed = ok(await refresh(t, pair.refreshToken))
    expect(decodeJwt(refreshed.accessToken)).toMatchObject({
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'urn:rotor:aal2',
      auth_time: claims.auth_time,
    })
    const list = ok(await t.call('sessions.list', undefined, { token: refreshed.accessToken }))
    const row = list.find((s: { id: string }) => s.id === pair.sessionId)
    expect(row).toMatchObject({
      deviceName: 'phone',
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'urn:rotor:aal2',
    })
  })

  test('a user without a factor signs in at once with amr pwd and acr aal1', async () => {
    const user = await registerUser(t)
    const pair = await login(t, user)
    expect(decodeJwt(pair.accessToken)).toMatchObject({
      amr: ['pwd'],
      acr: 'urn:rotor:aal1',
      auth_time: Math.floor(t.issuer.now() / 1000),
    })
  })
})
