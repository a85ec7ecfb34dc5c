import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { decodeJwt } from 'jose'
import { failure, registerUser, send } from '../helpers/issuer.ts'
import { createIdpIssuer, idClaims, signIdToken, signInWithIdToken } from '../identity/helpers.ts'
import { legacyIssuer, legacyToken } from '../legacy/helpers.ts'
import { enrolledUser, mfaRows, ok } from './helpers.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

// Every way a session starts either asks for the second factor or says why not (README: Second
// factor): password sign-in and lazy migration through auth.login, legacy exchange and ID tokens
// here; SessionService's caller vouches for the user itself.

async function linkedMfaUser(t: TestIssuer) {
  const mfa = await enrolledUser(t)
  const claims = idClaims(t, { email: mfa.user.email })
  await env.DB.prepare(
    'INSERT INTO user_identities (provider, subject, user_id, created_at) VALUES (?, ?, ?, ?)',
  )
    .bind(claims.iss, claims.sub, mfa.user.id, t.issuer.now())
    .run()
  return { mfa, claims }
}

describe('ID-token sign-in for a user with a second factor', { timeout: 30_000 }, () => {
  const t = createIdpIssuer()

  test('without the provider’s mfa it answers MFA_REQUIRED; the second step adds otp and mfa', async () => {
    const { mfa, claims } = await linkedMfaUser(t)
    const before = await mfaRows(mfa.user.id)
    const idToken = await signIdToken({ ...claims, amr: ['pwd'] })
    const first = await signInWithIdToken(t, { idToken, deviceName: 'idp laptop' })
    expect(failure(first)).toEqual({ status: 401, reason: 'MFA_REQUIRED' })
    expect((await mfaRows(mfa.user.id)).sessions).toEqual(before.sessions)
    const { challenge } = first.body.error.data.mfa
    const pair = ok(await t.call('auth.verifyMfa', { challenge, code: mfa.nextCode() }))
    expect(decodeJwt(pair.accessToken)).toMatchObject({
      sub: mfa.user.id,
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'urn:rotor:aal2',
    })
    const audit = ok(await t.call('audit.list', undefined, { token: pair.accessToken }))
    expect(audit).toContainEqual(
      expect.objectContaining({
        event: 'login.success',
        detail: `id-token ${claims.iss}, mfa totp`,
      }),
    )
  })

  test('a provider that says mfa starts the session at once, with the provider’s amr', async () => {
    const { claims } = await linkedMfaUser(t)
    const idToken = await signIdToken({ ...claims, amr: ['pwd', 'mfa', 'not valid!', 7] })
    const pair = ok(await signInWithIdToken(t, { idToken }))
    expect(decodeJwt(pair.accessToken)).toMatchObject({
      amr: ['pwd', 'mfa'],
      acr: 'urn:rotor:aal2',
    })
  })

  test('the OAuth token exchange, which cannot carry a challenge, refuses with MFA_REQUIRED', async () => {
    const { mfa, claims } = await linkedMfaUser(t)
    const before = await mfaRows(mfa.user.id)
    const result = await send(t.app, '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: await signIdToken(claims),
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      }),
    })
    expect(result.status).toBe(400)
    expect(result.body).toMatchObject({ error: 'invalid_grant', reason: 'MFA_REQUIRED' })
    expect(await mfaRows(mfa.user.id)).toEqual(before)
  })
})

describe('legacy exchange for a user with a second factor', { timeout: 30_000 }, () => {
  const t = legacyIssuer('monitor')

  test('answers MFA_REQUIRED; the second step starts the session, amr otp and mfa', async () => {
    const mfa = await enrolledUser(t)
    t.advance(10)
    const token = await legacyToken(mfa.user.id, { issuedAt: Math.floor(t.issuer.now() / 1000) })
    const first = await t.call('auth.exchangeLegacy', { token })
    expect(failure(first)).toEqual({ status: 401, reason: 'MFA_REQUIRED' })
    const pair = ok(
      await t.call('auth.verifyMfa', {
        challenge: first.body.error.data.mfa.challenge,
        code: mfa.nextCode(),
      }),
    )
    expect(decodeJwt(pair.accessToken)).toMatchObject({
      amr: ['otp', 'mfa'],
      acr: 'urn:rotor:aal2',
    })
  })

  test('a legacy token issued before the factor was confirmed is refused from then on', async () => {
    const issuedAt = Math.floor(t.issuer.now() / 1000) - 60
    const mfa = await enrolledUser(t)
    const token = await legacyToken(mfa.user.id, { issuedAt })
    const result = await t.call('auth.me', undefined, { token })
    expect(failure(result)).toEqual({ status: 401, reason: 'LEGACY_TOKEN_REJECTED' })
  })

  test('a legacy token’s caller cannot reach the second factor’s procedures: exchange it first', async () => {
    const user = await registerUser(t)
    const token = await legacyToken(user.id, { issuedAt: Math.floor(t.issuer.now() / 1000) - 60 })
    for (const [path, input] of [
      ['mfa.enrollTotp', { password: user.password }],
      ['auth.stepUp', { code: '123456' }],
    ] as const) {
      const result = await t.call(path, input, { token })
      expect(failure(result), path).toEqual({ status: 401, reason: 'LEGACY_TOKEN_REJECTED' })
    }
    expect((await mfaRows(user.id)).factor).toBeUndefined()
  })
})
