import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
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

  test('cookie delivery chosen at the first step: the second sets the cookie, from an allowed origin', async () => {
    const mfa = await enrolledUser(t)
    const origin = { origin: 'http://localhost:8787' }
    const first = await t.call(
      'auth.login',
      { ...mfa.user, delivery: 'cookie' },
      { headers: origin },
    )
    expect(failure(first).reason).toBe('MFA_REQUIRED')
    expect(first.headers.get('set-cookie')).toBeNull()
    const { challenge } = first.body.error.data.mfa
    const code = mfa.nextCode()
    const elsewhere = { origin: 'https://evil.example' }
    const refused = await t.call('auth.verifyMfa', { challenge, code }, { headers: elsewhere })
    expect(failure(refused)).toEqual({ status: 403, reason: 'ORIGIN_REJECTED' })
    expect(refused.headers.get('set-cookie')).toBeNull()
    const done = await t.call('auth.verifyMfa', { challenge, code }, { headers: origin })
    expect(done.status).toBe(200)
    expect(done.body.result.data.refreshToken).toBeUndefined()
    expect(done.headers.get('set-cookie')).toMatch(/^__Secure-rotor-refresh=c/)
  })

  test('a change of credentials between the two steps voids the sign-in', async () => {
    const mfa = await enrolledUser(t)
    const challenge = await challengeFor(t, mfa.user)
    t.advance(1)
    const changed = await t.call(
      'auth.changePassword',
      { currentPassword: mfa.user.password, newPassword: 'a brand new passphrase here' },
      { token: mfa.pair.accessToken },
    )
    expect(changed.status).toBe(200)
    const before = await mfaRows(mfa.user.id)
    const result = await t.call('auth.verifyMfa', { challenge, code: mfa.nextCode() })
    expect(failure(result)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    expect((await mfaRows(mfa.user.id)).sessions).toEqual(before.sessions)
  })

  test('SessionService starts a session with no second step: no amr, one-factor acr', async () => {
    const mfa = await enrolledUser(t)
    const response = await env.TEST_BACKEND.fetch('http://backend/', {
      method: 'POST',
      body: JSON.stringify({ userId: mfa.user.id }),
    })
    const { returned } = (await response.json()) as { returned: any }
    expect(returned.ok).toBe(true)
    const claims = decodeJwt(returned.tokens.accessToken)
    expect(claims.acr).toBe('urn:rotor:aal1')
    expect(claims.amr).toBeUndefined()
    expect(claims.auth_time).toBeTypeOf('number')
  })

  test('the hourly clean-up deletes challenges past their lifetime, and only those', async () => {
    const mfa = await enrolledUser(t)
    await challengeFor(t, mfa.user)
    t.advance(301)
    await challengeFor(t, mfa.user)
    expect((await mfaRows(mfa.user.id)).challenges).toHaveLength(2)
    expect(await t.issuer.store.purgeMfaChallenges(t.issuer.now(), 500)).toBeGreaterThanOrEqual(1)
    expect((await mfaRows(mfa.user.id)).challenges).toHaveLength(1)
  })
})
