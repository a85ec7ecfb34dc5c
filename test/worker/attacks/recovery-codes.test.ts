import { describe, expect, test } from 'vitest'
import { checkCredentials } from '../../../worker/sessions/credentials.ts'
import { startSession } from '../../../worker/sessions/start-session.ts'
import { PASSWORD, login, me, refresh, registerUser, signIn } from '../helpers/issuer.ts'
import { createRecoveryIssuer, failure, otherCode, outcome } from '../recovery/helpers.ts'
import type { RecoveryIssuer } from '../recovery/helpers.ts'

const NEW_PASSWORD = 'a brand new passphrase'
const INFO = { ip: '203.0.113.9', country: null, userAgent: null, requestId: 'test' }

/** A registered user with a reset code mailed to them. */
async function withResetCode(t: RecoveryIssuer) {
  const user = await registerUser(t)
  await t.call('auth.requestPasswordReset', { email: user.email })
  await t.settle()
  return { user, code: t.codeFor(user.email) }
}

const reset = (t: RecoveryIssuer, email: string, code: unknown, newPassword = NEW_PASSWORD) =>
  t.call('auth.resetPassword', { email, code, newPassword })

/** The password is still the one the user registered with. */
async function expectUnchanged(t: RecoveryIssuer, user: { email: string; password: string }) {
  expect(outcome(await t.call('auth.login', user))).toEqual({ status: 200 })
  expect(failure(await t.call('auth.login', { ...user, password: NEW_PASSWORD })).reason).toBe(
    'INVALID_CREDENTIALS',
  )
}

describe('attacks on one-time codes', () => {
  test('a wrong code is refused and changes nothing; the right one still works', async () => {
    const t = createRecoveryIssuer()
    const { user, code } = await withResetCode(t)
    expect(failure(await reset(t, user.email, otherCode(code)))).toEqual({
      status: 400,
      reason: 'CODE_INVALID',
    })
    await expectUnchanged(t, user)
    expect(outcome(await reset(t, user.email, code))).toEqual({ status: 200 })
  })

  test('an expired code is refused and changes nothing', async () => {
    const t = createRecoveryIssuer({ CODE_TTL: '600' })
    const { user, code } = await withResetCode(t)
    t.advance(601)
    expect(failure(await reset(t, user.email, code)).reason).toBe('CODE_INVALID')
    await expectUnchanged(t, user)
  })

  test('a used code is refused the second time', async () => {
    const t = createRecoveryIssuer()
    const { user, code } = await withResetCode(t)
    expect(outcome(await reset(t, user.email, code))).toEqual({ status: 200 })
    const again = await reset(t, user.email, code, 'yet another passphrase')
    expect(failure(again).reason).toBe('CODE_INVALID')
    await login(t, { email: user.email, password: NEW_PASSWORD })
  })

  test.each([
    ['letters', 'abcdefgh'],
    ['too short', '1234567'],
    ['too long', '123456789'],
    ['padded', ' 1234567'],
    ['other digits', '١٢٣٤٥٦٧٨'],
    ['a number', 12345678],
    ['missing', undefined],
  ])('a malformed code (%s) is bad input, refused before any work', async (_, code) => {
    const t = createRecoveryIssuer()
    const { user } = await withResetCode(t)
    expect(failure(await reset(t, user.email, code))).toEqual({
      status: 400,
      reason: 'INVALID_INPUT',
    })
    await expectUnchanged(t, user)
  })

  test("another user's code, or a code for another purpose, is no code for this one", async () => {
    const t = createRecoveryIssuer()
    const victim = await withResetCode(t)
    const attacker = await withResetCode(t)
    expect(failure(await reset(t, victim.user.email, attacker.code)).reason).toBe('CODE_INVALID')
    // Registration mailed the victim a verification code: it does not reset the password.
    const verification = t.mailTo(victim.user.email).find((m) => m.subject.includes('verification'))
    const verifyCode = verification!.text.match(/\d{8}/)![0]
    expect(failure(await reset(t, victim.user.email, verifyCode)).reason).toBe('CODE_INVALID')
    await expectUnchanged(t, victim.user)
  })

  test('five wrong guesses void the code: the right one then fails too', async () => {
    const t = createRecoveryIssuer()
    const { user, code } = await withResetCode(t)
    let guess = code
    for (let i = 0; i < 5; i++) {
      guess = otherCode(guess)
      expect(failure(await reset(t, user.email, guess)).reason).toBe('CODE_INVALID')
    }
    expect(failure(await reset(t, user.email, code)).reason).toBe('CODE_INVALID')
    await expectUnchanged(t, user)
  })

  test('guessing across fresh codes hits the per-address limit, with Retry-After', async () => {
    const t = createRecoveryIssuer({ RATE_LIMIT_CODE_ATTEMPT_ACCOUNT: '10/900' })
    const user = await registerUser(t)
    let limited
    for (let round = 0; round < 4 && !limited; round++) {
      await t.call('auth.requestPasswordReset', { email: user.email })
      await t.settle()
      let guess = t.codeFor(user.email)
      for (let i = 0; i < 4; i++) {
        guess = otherCode(guess)
        const result = await reset(t, user.email, guess)
        if (result.status === 429) {
          limited = result
          break
        }
      }
    }
    expect(failure(limited!)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0)
    // Even the right code waits out the window: a guesser's last try gains nothing.
    const right = await reset(t, user.email, t.codeFor(user.email))
    expect(failure(right).reason).toBe('RATE_LIMITED')
    await expectUnchanged(t, user)
  })

  test('one IP guessing at many accounts hits the per-IP limit (an IPv6 /64 counts once)', async () => {
    const t = createRecoveryIssuer({ RATE_LIMIT_CODE_ATTEMPT_IP: '3/900' })
    const victims = [await withResetCode(t), await withResetCode(t), await withResetCode(t)]
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`
    const results = []
    for (const [i, { user, code }] of [...victims, victims[0]!].entries()) {
      const headers = { 'cf-connecting-ip': `${prefix}::${i + 1}` }
      results.push(
        await t.call(
          'auth.resetPassword',
          {
            email: user.email,
            code: otherCode(code),
            newPassword: NEW_PASSWORD,
          },
          { headers },
        ),
      )
    }
    expect(results.map((r) => failure(r).reason)).toEqual([
      'CODE_INVALID',
      'CODE_INVALID',
      'CODE_INVALID',
      'RATE_LIMITED',
    ])
    expect(results[3]!.headers.get('retry-after')).not.toBeNull()
  })

  test('a reset racing a refresh: afterwards no session from before works', async () => {
    const t = createRecoveryIssuer()
    const { user, pair } = await signIn(t)
    await t.call('auth.requestPasswordReset', { email: user.email })
    await t.settle()
    const [raced] = await Promise.all([
      refresh(t, pair.refreshToken),
      reset(t, user.email, t.codeFor(user.email)),
    ])
    expect(failure(await me(t, pair.accessToken)).status).toBe(401)
    // The refresh may have lost (refused) or won (rotated inside the session the reset ended).
    const rotated = raced.status === 200 ? [raced.body.result.data] : []
    for (const pairAfter of rotated) {
      expect(failure(await me(t, pairAfter.accessToken)).reason).toBe('SESSION_REVOKED')
      expect(failure(await refresh(t, pairAfter.refreshToken)).status).toBe(401)
    }
  })

  test('a sign-in whose password check came before the reset gets no live session', async () => {
    const t = createRecoveryIssuer()
    const user = await registerUser(t)
    await t.call('auth.requestPasswordReset', { email: user.email })
    await t.settle()
    // The worst interleaving, made certain: the old password checked, then the reset, then
    // the session written.
    const checked = await checkCredentials(
      t.issuer,
      { email: user.email, password: PASSWORD },
      INFO,
    )
    expect(outcome(await reset(t, user.email, t.codeFor(user.email)))).toEqual({ status: 200 })
    const start = startSession(t.issuer, {
      user: checked.user,
      clientId: 'web',
      info: INFO,
      event: 'login.success',
      delivery: 'body',
      amr: ['pwd'],
    })
    await expect(start).rejects.toMatchObject({ reason: 'INVALID_CREDENTIALS' })
    expect(await t.issuer.store.listLiveSessions(checked.user.id, t.issuer.now())).toEqual([])
  })

  test('a reset racing sign-ins over HTTP: after both settle, none from before works', async () => {
    const t = createRecoveryIssuer()
    const user = await registerUser(t)
    await t.call('auth.requestPasswordReset', { email: user.email })
    await t.settle()
    const results = await Promise.all([
      t.call('auth.login', user),
      reset(t, user.email, t.codeFor(user.email)),
      t.call('auth.login', user),
    ])
    expect(results[1]!.status).toBe(200)
    for (const signedIn of [results[0]!, results[2]!].filter((r) => r.status === 200)) {
      expect(failure(await me(t, signedIn.body.result.data.accessToken)).status).toBe(401)
    }
  })

  test('a transport that fails voids the code: nothing was changed and it is audited', async () => {
    const t = createRecoveryIssuer()
    const user = await registerUser(t)
    await t.settle()
    t.outbox.failing = 'error'
    const asked = await t.call('auth.requestPasswordReset', { email: user.email })
    // The answer cannot tell (that would say the account exists); the trail does.
    expect(asked.body.result.data).toEqual({ ok: true })
    await t.settle()
    const audit = await t.issuer.store.listAudit(user.id, 20)
    expect(audit.find((row) => row.event === 'mail.failure')?.detail).toBe('reset')
    // No code is live: whatever was stored cannot be guessed at.
    const [attempt] = [
      await t.issuer.store.beginCodeAttempt({
        ipKey: 'x',
        accountKey: 'y',
        now: t.issuer.now(),
        ipWindowMs: 1000,
        accountWindowMs: 1000,
        purpose: 'reset',
        email: user.email,
      }),
    ]
    expect(attempt.code).toBeUndefined()
    await expectUnchanged(t, user)
  })
})
