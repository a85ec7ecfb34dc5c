import { describe, expect, test } from 'vitest'
import { login, me, registerUser, signIn } from '../helpers/issuer.ts'
import { createRecoveryIssuer, failure, otherCode, outcome } from './helpers.ts'
import type { RecoveryIssuer } from './helpers.ts'

const fresh = () => `new-${crypto.randomUUID()}@example.com`

async function askChange(t: RecoveryIssuer, token: string, newEmail: string, password: string) {
  return t.call('auth.requestEmailChange', { newEmail, currentPassword: password }, { token })
}

describe('changing the email address', () => {
  test('a code to the new address moves the account there, verified; the old one is told', async () => {
    const t = createRecoveryIssuer()
    const { user, pair } = await signIn(t)
    const newEmail = fresh()
    expect(outcome(await askChange(t, pair.accessToken, newEmail, user.password))).toEqual({
      status: 200,
    })
    expect(t.mailTo(newEmail).at(-1)!.subject).toBe('Confirm your new email address')
    const confirmed = await t.call(
      'auth.confirmEmailChange',
      { code: t.codeFor(newEmail) },
      { token: pair.accessToken },
    )
    expect(confirmed.body.result.data).toEqual({ ok: true, email: newEmail })
    await t.settle()
    const notice = t.mailTo(user.email).at(-1)!
    expect(notice.subject).toBe('Your email address was changed')
    expect(notice.text).toContain(newEmail)
    expect((await me(t, pair.accessToken)).body.result.data).toMatchObject({
      email: newEmail,
      emailVerified: true,
    })
    await login(t, { email: newEmail, password: user.password })
    expect(failure(await t.call('auth.login', user)).reason).toBe('INVALID_CREDENTIALS')
  })

  test('the current password is required, through the sign-in checks', async () => {
    const t = createRecoveryIssuer()
    const { pair } = await signIn(t)
    const result = await askChange(t, pair.accessToken, fresh(), 'not my password at all')
    expect(failure(result)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    expect(t.outbox.sent.filter((m) => m.subject.startsWith('Confirm'))).toEqual([])
  })

  test('a taken address is refused, before and at confirmation', async () => {
    const t = createRecoveryIssuer()
    const { user, pair } = await signIn(t)
    const other = await registerUser(t)
    const taken = await askChange(t, pair.accessToken, other.email, user.password)
    expect(failure(taken)).toEqual({ status: 409, reason: 'EMAIL_TAKEN' })
    // Free when asked, taken before the code comes back: refused, nothing changed.
    const later = fresh()
    await askChange(t, pair.accessToken, later, user.password)
    const code = t.codeFor(later)
    const squatter = await t.call('auth.register', { email: later, password: 'squatter password' })
    expect(squatter.status).toBe(200)
    const confirm = await t.call('auth.confirmEmailChange', { code }, { token: pair.accessToken })
    expect(failure(confirm)).toEqual({ status: 409, reason: 'EMAIL_TAKEN' })
    expect((await me(t, pair.accessToken)).body.result.data.email).toBe(user.email)
  })

  test("a wrong code, or another user's, changes nothing", async () => {
    const t = createRecoveryIssuer()
    const a = await signIn(t)
    const b = await signIn(t)
    const aNew = fresh()
    const bNew = fresh()
    await askChange(t, a.pair.accessToken, aNew, a.user.password)
    await askChange(t, b.pair.accessToken, bNew, b.user.password)
    const token = { token: a.pair.accessToken }
    const wrong = otherCode(t.codeFor(aNew))
    expect(failure(await t.call('auth.confirmEmailChange', { code: wrong }, token)).reason).toBe(
      'CODE_INVALID',
    )
    const stolen = await t.call('auth.confirmEmailChange', { code: t.codeFor(bNew) }, token)
    // (Equal codes, one chance in 10^8, would still differ in the address they are bound to.)
    expect(failure(stolen).reason).toBe('CODE_INVALID')
    expect((await me(t, a.pair.accessToken)).body.result.data.email).toBe(a.user.email)
  })

  test('a transport that times out is a clear error, and nothing is changed', async () => {
    const t = createRecoveryIssuer({ MAIL_TIMEOUT: '1' })
    const { user, pair } = await signIn(t)
    const newEmail = fresh()
    t.outbox.failing = 'hang'
    const result = await askChange(t, pair.accessToken, newEmail, user.password)
    expect(failure(result)).toEqual({ status: 503, reason: 'MAIL_UNAVAILABLE' })
    const audit = await t.issuer.store.listAudit(user.id, 20)
    expect(audit.find((row) => row.event === 'mail.failure')?.detail).toBe('email-change')
    // No live code was left behind.
    const attempt = await t.issuer.store.beginCodeAttempt({
      ipKey: 'x',
      accountKey: 'y',
      now: t.issuer.now(),
      ipWindowMs: 1000,
      accountWindowMs: 1000,
      purpose: 'email-change',
      userId: user.id,
    })
    expect(attempt.code).toBeUndefined()
    expect((await me(t, pair.accessToken)).body.result.data.email).toBe(user.email)
  }, 20_000)
})
