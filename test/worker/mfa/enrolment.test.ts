import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createTestIssuer, failure, login, registerUser } from '../helpers/issuer.ts'
import { decodeBase32, enrolledUser, mfaRows, ok, totpAt } from './helpers.ts'

describe('TOTP enrolment', { timeout: 30_000 }, () => {
  const t = createTestIssuer()

  async function started() {
    const user = await registerUser(t)
    const pair = await login(t, user)
    const token = pair.accessToken
    const enrolment = ok(await t.call('mfa.enrollTotp', { password: user.password }, { token }))
    return { user, token, enrolment, secret: decodeBase32(enrolment.secret) }
  }

  test('returns an otpauth URI and an SVG QR code, and stores the factor unconfirmed', async () => {
    const { user, token, enrolment } = await started()
    const uri = new URL(enrolment.uri)
    expect(`${uri.protocol}//${uri.host}`).toBe('otpauth://totp')
    expect(decodeURIComponent(uri.pathname)).toBe(`/localhost:8787:${user.email}`)
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      issuer: 'localhost:8787',
      algorithm: 'SHA1',
      secret: enrolment.secret,
      period: '30',
      digits: '6',
    })
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(enrolment.qrSvg).toMatch(/^<svg [^>]*viewBox/)
    expect(ok(await t.call('mfa.status', undefined, { token }))).toEqual({
      enrolled: false,
      pending: true,
      confirmedAt: null,
      recoveryCodesLeft: 0,
    })
    // Not confirmed: sign-in still needs no second step.
    expect((await t.call('auth.login', user)).status).toBe(200)
  })

  test('the secret is sealed at rest: the row holds neither it nor its bytes', async () => {
    const { user, enrolment, secret } = await started()
    const { factor } = await mfaRows(user.id)
    const box = factor!.secret_box as string
    expect(box).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/)
    expect(box).not.toContain(enrolment.secret)
    expect(box.toUpperCase()).not.toContain(enrolment.secret.slice(0, 8))
    const hex = [...secret].map((b) => b.toString(16).padStart(2, '0')).join('')
    expect(box).not.toContain(hex)
    expect(box).not.toContain(btoa(String.fromCharCode(...secret)).replace(/=+$/, ''))
  })

  test('a wrong password enrols nothing', async () => {
    const user = await registerUser(t)
    const pair = await login(t, user)
    const result = await t.call(
      'mfa.enrollTotp',
      { password: 'not the password at all' },
      { token: pair.accessToken },
    )
    expect(failure(result)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    expect((await mfaRows(user.id)).factor).toBeUndefined()
  })

  test('a wrong first code confirms nothing; the right one confirms and hands out ten codes', async () => {
    const { user, token, secret } = await started()
    const now = t.issuer.now()
    const wrong = totpAt(secret, now) === '000000' ? '111111' : '000000'
    const refused = await t.call('mfa.confirmTotp', { code: wrong }, { token })
    expect(failure(refused)).toEqual({ status: 401, reason: 'MFA_CODE_INVALID' })
    const rows = await mfaRows(user.id)
    expect(rows.factor!.confirmed_at).toBeNull()
    expect(rows.codes).toEqual([])

    const confirmed = ok(await t.call('mfa.confirmTotp', { code: totpAt(secret, now) }, { token }))
    expect(confirmed.ok).toBe(true)
    expect(confirmed.recoveryCodes).toHaveLength(10)
    for (const code of confirmed.recoveryCodes)
      expect(code).toMatch(/^([a-z2-7]{4}-){3}[a-z2-7]{4}$/)
    expect(new Set(confirmed.recoveryCodes).size).toBe(10)
    const after = await mfaRows(user.id)
    expect(after.factor!.confirmed_at).toBe(now)
    // Stored as HMACs: no code, with or without dashes, is in the table.
    const stored = JSON.stringify(after.codes)
    for (const code of confirmed.recoveryCodes) {
      expect(stored).not.toContain(code)
      expect(stored).not.toContain(code.replaceAll('-', ''))
    }
    expect(ok(await t.call('mfa.status', undefined, { token }))).toEqual({
      enrolled: true,
      pending: false,
      confirmedAt: Math.floor(now / 1000),
      recoveryCodesLeft: 10,
    })
  })

  test('enrolment confirmed twice is refused and changes nothing', async () => {
    const mfa = await enrolledUser(t)
    const token = mfa.pair.accessToken
    const before = await mfaRows(mfa.user.id)
    const again = await t.call('mfa.confirmTotp', { code: mfa.nextCode() }, { token })
    expect(failure(again)).toEqual({ status: 409, reason: 'MFA_ALREADY_ENROLLED' })
    const reenrol = await t.call('mfa.enrollTotp', { password: mfa.user.password }, { token })
    expect(failure(reenrol)).toEqual({ status: 409, reason: 'MFA_ALREADY_ENROLLED' })
    expect(await mfaRows(mfa.user.id)).toEqual(before)
  })

  test('a new enrolment before confirming replaces the secret: the old one’s codes fail', async () => {
    const first = await started()
    const again = ok(
      await t.call('mfa.enrollTotp', { password: first.user.password }, { token: first.token }),
    )
    expect(again.secret).not.toBe(first.enrolment.secret)
    // A moment when the two secrets' codes differ (they match one time in a million).
    while (
      totpAt(first.secret, t.issuer.now()) === totpAt(decodeBase32(again.secret), t.issuer.now())
    )
      t.advance(30)
    const old = totpAt(first.secret, t.issuer.now())
    const fresh = totpAt(decodeBase32(again.secret), t.issuer.now())
    const refused = await t.call('mfa.confirmTotp', { code: old }, { token: first.token })
    expect(failure(refused).reason).toBe('MFA_CODE_INVALID')
    expect((await t.call('mfa.confirmTotp', { code: fresh }, { token: first.token })).status).toBe(
      200,
    )
  })

  test('confirming without an enrolment is MFA_NOT_ENROLLED; malformed codes are INVALID_INPUT', async () => {
    const user = await registerUser(t)
    const { accessToken: token } = await login(t, user)
    const none = await t.call('mfa.confirmTotp', { code: '123456' }, { token })
    expect(failure(none)).toEqual({ status: 400, reason: 'MFA_NOT_ENROLLED' })
    for (const code of ['12345', '1234567', '12345a', ' 123456', '１２３４５６', 123456]) {
      const result = await t.call('mfa.confirmTotp', { code }, { token })
      expect(failure(result), String(code)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
    }
  })

  test('the secret is never in an answer after enrolment, nor in the audit trail', async () => {
    const mfa = await enrolledUser(t)
    const base32 = mfa.secretText
    const encoded = Array.from(mfa.secret, (b) => b.toString(16).padStart(2, '0')).join('')
    const token = mfa.pair.accessToken
    const answers = [
      await t.call('mfa.status', undefined, { token }),
      await t.call('auth.me', undefined, { token }),
      await t.call('sessions.list', undefined, { token }),
      await t.call('audit.list', undefined, { token }),
      await t.call('auth.login', mfa.user),
      await t.call('auth.stepUp', { code: mfa.nextCode() }, { token }),
    ]
    const secretText = (await mfaRows(mfa.user.id)).factor!.secret_box as string
    for (const answer of answers) {
      const text = JSON.stringify(answer.body)
      expect(text).not.toContain(encoded)
      expect(text).not.toContain(base32)
      expect(text).not.toContain(secretText)
    }
    const audit = await env.DB.prepare('SELECT * FROM audit_events WHERE user_id = ?')
      .bind(mfa.user.id)
      .all()
    expect(JSON.stringify(audit.results)).not.toContain(secretText)
  })

  test('a short MFA_ENCRYPTION_KEY stops the issuer at start-up, naming it', () => {
    expect(() => createTestIssuer({ MFA_ENCRYPTION_KEY: 'too short to seal anything' })).toThrow(
      'MFA_ENCRYPTION_KEY must be at least 32 characters',
    )
  })

  test('without MFA_ENCRYPTION_KEY the second factor is MFA_UNAVAILABLE and nothing is stored', async () => {
    const keyless = createTestIssuer({ MFA_ENCRYPTION_KEY: '' })
    const user = await registerUser(keyless)
    const pair = await login(keyless, user)
    const result = await keyless.call(
      'mfa.enrollTotp',
      { password: user.password },
      { token: pair.accessToken },
    )
    expect(failure(result)).toEqual({ status: 503, reason: 'MFA_UNAVAILABLE' })
    expect((await mfaRows(user.id)).factor).toBeUndefined()
  })
})
