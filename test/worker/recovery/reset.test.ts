import { describe, expect, test } from 'vitest'
import { login, me, refresh, registerUser, signIn } from '../helpers/issuer.ts'
import { createRecoveryIssuer, failure, outcome } from './helpers.ts'

const NEW_PASSWORD = 'a brand new passphrase'

describe('password reset', () => {
  test('a mailed code sets a new password, signs every session out and sends a notice', async () => {
    const t = createRecoveryIssuer()
    const { user, pair } = await signIn(t)
    const second = await login(t, user)
    const asked = await t.call('auth.requestPasswordReset', { email: user.email })
    expect(asked.status).toBe(200)
    expect(asked.body.result.data).toEqual({ ok: true })
    await t.settle()
    const message = t.mailTo(user.email).at(-1)!
    expect(message.subject).toBe('Your password reset code')
    expect(message.html).toContain(t.codeFor(user.email))

    const reset = await t.call('auth.resetPassword', {
      email: user.email,
      code: t.codeFor(user.email),
      newPassword: NEW_PASSWORD,
    })
    expect(reset.status).toBe(200)
    expect(reset.body.result.data).toEqual({ ok: true, revoked: 2 })
    await t.settle()
    expect(t.mailTo(user.email).at(-1)!.subject).toBe('Your password was changed')

    // Every session from before is gone, access and refresh tokens alike.
    expect(failure(await me(t, pair.accessToken)).reason).toBe('SESSION_REVOKED')
    expect(failure(await refresh(t, second.refreshToken)).status).toBe(401)
    // The old password is refused, the new one works.
    expect(failure(await t.call('auth.login', user)).reason).toBe('INVALID_CREDENTIALS')
    await login(t, { email: user.email, password: NEW_PASSWORD })
    const audit = await t.issuer.store.listAudit(user.id, 20)
    expect(audit.map((row) => row.event)).toContain('password.reset')
  })

  test('an unknown address gets the same answer, and no mail is sent', async () => {
    const t = createRecoveryIssuer()
    const known = await registerUser(t)
    await t.settle()
    const before = t.outbox.sent.length
    const unknown = await t.call('auth.requestPasswordReset', {
      email: `nobody-${crypto.randomUUID()}@example.com`,
    })
    const real = await t.call('auth.requestPasswordReset', { email: known.email })
    expect(unknown.status).toBe(real.status)
    expect(unknown.body).toEqual(real.body)
    await t.settle()
    expect(t.outbox.sent.length - before).toBe(1)
  })

  test('a new request replaces the earlier code: one live code per user', async () => {
    const t = createRecoveryIssuer()
    const user = await registerUser(t)
    await t.call('auth.requestPasswordReset', { email: user.email })
    await t.settle()
    const first = t.codeFor(user.email)
    await t.call('auth.requestPasswordReset', { email: user.email })
    await t.settle()
    const second = t.codeFor(user.email)
    const input = { email: user.email, newPassword: NEW_PASSWORD }
    // Two draws of 10^8 codes: equal once in 10^8 runs.
    expect(failure(await t.call('auth.resetPassword', { ...input, code: first })).reason).toBe(
      'CODE_INVALID',
    )
    expect(outcome(await t.call('auth.resetPassword', { ...input, code: second }))).toEqual({
      status: 200,
    })
  })

  test('a weak new password is refused without using up the code', async () => {
    const t = createRecoveryIssuer()
    const user = await registerUser(t)
    await t.call('auth.requestPasswordReset', { email: user.email })
    await t.settle()
    const code = t.codeFor(user.email)
    const weak = await t.call('auth.resetPassword', {
      email: user.email,
      code,
      newPassword: 'password',
    })
    expect(failure(weak)).toEqual({ status: 400, reason: 'WEAK_PASSWORD' })
    const ok = await t.call('auth.resetPassword', {
      email: user.email,
      code,
      newPassword: NEW_PASSWORD,
    })
    expect(ok.status).toBe(200)
  })

  test('a reset also ends a sign-in lock-out and proves the address', async () => {
    const t = createRecoveryIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '2/900' })
    const user = await registerUser(t)
    for (let i = 0; i < 2; i++) await t.call('auth.login', { ...user, password: 'wrong password!' })
    expect(failure(await t.call('auth.login', user)).reason).toBe('RATE_LIMITED')
    await t.call('auth.requestPasswordReset', { email: user.email })
    await t.settle()
    const code = t.codeFor(user.email)
    await t.call('auth.resetPassword', { email: user.email, code, newPassword: NEW_PASSWORD })
    const pair = await login(t, { email: user.email, password: NEW_PASSWORD })
    expect((await me(t, pair.accessToken)).body.result.data.emailVerified).toBe(true)
  })
})
