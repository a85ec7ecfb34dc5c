import { describe, expect, test } from 'vitest'
import { jwtVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose'
import { FIXTURE_PASSWORD, FOREIGN_HASHES } from '../passwords/hash-fixtures.ts'
import { createTestIssuer, failure, login, registerUser, signIn } from '../helpers/issuer.ts'

describe('registration and sign-in', () => {
  test('a registered user signs in and gets a token pair that authenticates auth.me', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    expect(pair.refreshToken).toMatch(/^b[A-Za-z0-9_-]{43}$/)
    expect(pair.user.email).toBe(user.email)
    const me = await t.call('auth.me', undefined, { token: pair.accessToken })
    expect(me.status).toBe(200)
    expect(me.body.result.data).toEqual({ id: user.id, email: user.email, emailVerified: false })
  })

  test('the access token carries the contract header and claims and verifies against JWKS', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const keys = createLocalJWKSet({ keys: t.issuer.keys.keys.map((key) => key.publicJwk) })
    const { payload, protectedHeader } = await jwtVerify(pair.accessToken, keys, {
      issuer: t.issuer.config.issuer,
      audience: t.issuer.config.audience,
      algorithms: ['ES256'],
      typ: 'at+jwt',
    })
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' })
    expect(typeof protectedHeader.kid).toBe('string')
    expect(payload).toMatchObject({ sub: user.id, sid: pair.sessionId })
    expect(typeof payload.jti).toBe('string')
    expect(payload.exp! - payload.iat!).toBe(900)
    expect(pair.accessTokenExpiresAt).toBe(payload.exp)
  })

  test.each(['EdDSA', 'RS256'])(
    'SIGNING_ALG=%s signs access tokens with that algorithm',
    async (alg) => {
      const t = createTestIssuer({ SIGNING_ALG: alg })
      const { pair } = await signIn(t)
      expect(decodeProtectedHeader(pair.accessToken).alg).toBe(alg)
      expect((await t.call('auth.me', undefined, { token: pair.accessToken })).status).toBe(200)
    },
  )

  test('a wrong password and an unknown email get the same answer', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const wrong = await t.call('auth.login', { email: user.email, password: 'not the password' })
    const unknown = await t.call('auth.login', {
      email: `nobody-${user.email}`,
      password: 'not the password',
    })
    expect(failure(wrong)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    expect(failure(unknown)).toEqual(failure(wrong))
    expect(unknown.body.error.message).toBe(wrong.body.error.message)
  })

  test('emails are matched without regard to case or surrounding space', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const pair = await login(t, {
      email: `  ${user.email.toUpperCase()} `.trim(),
      password: user.password,
    })
    expect(pair.user.email).toBe(user.email)
  })

  test('a hash of Rotor’s earlier scheme (scrypt) is upgraded at the next sign-in', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t, FIXTURE_PASSWORD)
    await t.issuer.store.updatePasswordHash(user.id, FOREIGN_HASHES['scrypt Rotor 0.2'])
    await login(t, user)
    const stored = await t.issuer.store.findUserById(user.id)
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect((await login(t, user)).user.id).toBe(user.id)
  })

  test('registering a taken email fails with EMAIL_TAKEN', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const again = await t.call('auth.register', {
      email: user.email.toUpperCase(),
      password: 'another long passphrase',
    })
    expect(failure(again)).toEqual({ status: 409, reason: 'EMAIL_TAKEN' })
  })

  test.each([['short'], ['password123'], ['12345678']])(
    'password %j is refused as WEAK_PASSWORD',
    async (password) => {
      const t = createTestIssuer()
      const result = await t.call('auth.register', {
        email: `weak-${crypto.randomUUID()}@example.com`,
        password,
      })
      expect(failure(result)).toEqual({ status: 400, reason: 'WEAK_PASSWORD' })
    },
  )

  test('malformed input is a 400 INVALID_INPUT, never a 5xx', async () => {
    const t = createTestIssuer()
    for (const input of [
      {},
      { email: 'not-an-email', password: 'x' },
      { email: 42 },
      'string',
      null,
      [1],
    ]) {
      const result = await t.call('auth.login', input)
      expect(failure(result)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
    }
    const bad = await t.call('auth.login', { email: 'not-an-email', password: 'x' })
    expect(bad.body.error.message).toMatch(/^Invalid input: email: /)
    expect(bad.body.error.message).not.toContain('not-an-email')
    const garbage = await t.call('auth.login', undefined, {
      headers: { 'content-type': 'application/json' },
    })
    expect(garbage.status).toBe(400)
  })
})

describe('cookie delivery', () => {
  const origin = 'http://localhost:8787'

  test('puts the refresh token in an HttpOnly, Secure, SameSite=Strict cookie scoped to /trpc', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const result = await t.call(
      'auth.login',
      { ...user, delivery: 'cookie' },
      { headers: { origin } },
    )
    expect(result.status).toBe(200)
    expect(result.body.result.data.refreshToken).toBeUndefined()
    const cookie = result.headers.get('set-cookie')!
    expect(cookie).toMatch(/^__Secure-rotor-refresh=c[A-Za-z0-9_-]{43};/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('Secure')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).toContain('Path=/trpc')
  })

  test('is refused with ORIGIN_REJECTED for an origin not listed, or none', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    for (const headers of [{ origin: 'https://evil.example' }, {}] as Record<string, string>[]) {
      const result = await t.call('auth.login', { ...user, delivery: 'cookie' }, { headers })
      expect(failure(result)).toEqual({ status: 403, reason: 'ORIGIN_REJECTED' })
      expect(result.headers.get('set-cookie')).toBeNull()
    }
  })
})
