import { decodeJwt } from 'jose'
import { describe, expect, test } from 'vitest'
import { login, me, refresh, registerUser } from '../helpers/issuer.ts'
import { createRecoveryIssuer, failure, otherCode, outcome } from './helpers.ts'

describe('email verification', () => {
  test('registration mails a code; verifying it shows in auth.me, sessions.list and the token', async () => {
    const t = createRecoveryIssuer()
    const user = await registerUser(t)
    await t.settle()
    expect(t.mailTo(user.email).at(-1)!.subject).toBe('Your email verification code')
    const before = await login(t, user)
    expect((await me(t, before.accessToken)).body.result.data.emailVerified).toBe(false)
    expect(decodeJwt(before.accessToken).email_verified).toBe(false)

    const verified = await t.call('auth.verifyEmail', {
      email: user.email,
      code: t.codeFor(user.email),
    })
    expect(verified.body.result.data).toEqual({ ok: true, emailVerified: true })
    expect((await me(t, before.accessToken)).body.result.data).toEqual({
      id: user.id,
      email: user.email,
      emailVerified: true,
    })
    const list = await t.call('sessions.list', undefined, { token: before.accessToken })
    expect(list.body.result.data[0].user).toEqual({
      id: user.id,
      email: user.email,
      emailVerified: true,
    })
    // Tokens issued from now on carry it, refreshed ones included.
    const rotated = (await refresh(t, before.refreshToken)).body.result.data
    expect(decodeJwt(rotated.accessToken).email_verified).toBe(true)
    expect(decodeJwt((await login(t, user)).accessToken).email_verified).toBe(true)
  })

  test('a code is sent on request, the same answer for unknown and verified addresses', async () => {
    const t = createRecoveryIssuer()
    const user = await registerUser(t)
    await t.settle()
    const count = () => t.mailTo(user.email).length
    const sent = count()
    await t.call('auth.requestEmailVerification', { email: user.email })
    await t.settle()
    expect(count()).toBe(sent + 1)
    const code = t.codeFor(user.email)
    expect(outcome(await t.call('auth.verifyEmail', { email: user.email, code }))).toEqual({
      status: 200,
    })
    const verified = await t.call('auth.requestEmailVerification', { email: user.email })
    const unknown = await t.call('auth.requestEmailVerification', {
      email: `nobody-${crypto.randomUUID()}@example.com`,
    })
    expect(verified.body).toEqual(unknown.body)
    await t.settle()
    expect(count()).toBe(sent + 1)
    // The used code is no code any more.
    expect(failure(await t.call('auth.verifyEmail', { email: user.email, code })).reason).toBe(
      'CODE_INVALID',
    )
  })

  test('a wrong code verifies nothing', async () => {
    const t = createRecoveryIssuer()
    const user = await registerUser(t)
    await t.settle()
    const wrong = otherCode(t.codeFor(user.email))
    const result = await t.call('auth.verifyEmail', { email: user.email, code: wrong })
    expect(failure(result)).toEqual({ status: 400, reason: 'CODE_INVALID' })
    const pair = await login(t, user)
    expect((await me(t, pair.accessToken)).body.result.data.emailVerified).toBe(false)
  })

  test('with REQUIRE_EMAIL_VERIFIED on, an unverified user cannot sign in until verified', async () => {
    const t = createRecoveryIssuer({ REQUIRE_EMAIL_VERIFIED: 'on' })
    const user = await registerUser(t)
    await t.settle()
    expect(failure(await t.call('auth.login', user))).toEqual({
      status: 403,
      reason: 'EMAIL_NOT_VERIFIED',
    })
    // A wrong password still says only that: the verification state is not revealed to guessers.
    const wrong = await t.call('auth.login', { ...user, password: 'not the password!' })
    expect(failure(wrong).reason).toBe('INVALID_CREDENTIALS')
    await t.call('auth.verifyEmail', { email: user.email, code: t.codeFor(user.email) })
    expect(outcome(await t.call('auth.login', user))).toEqual({ status: 200 })
  })

  test('with no transport, requests answer MAIL_UNAVAILABLE and registration still works', async () => {
    const t = createRecoveryIssuer({ MAIL_TRANSPORT: 'off' })
    const user = await registerUser(t)
    const asked = await t.call('auth.requestEmailVerification', { email: user.email })
    expect(failure(asked)).toEqual({ status: 503, reason: 'MAIL_UNAVAILABLE' })
    const reset = await t.call('auth.requestPasswordReset', { email: user.email })
    expect(failure(reset).reason).toBe('MAIL_UNAVAILABLE')
  })
})
