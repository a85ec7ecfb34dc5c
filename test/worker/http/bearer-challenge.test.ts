import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createTestIssuer, failure, refresh, signIn } from '../helpers/issuer.ts'

// RFC 9110 §15.5.2: every 401 carries WWW-Authenticate. RFC 6750 §3.1: no error code when the
// request carried no token, `invalid_token` when the one it carried is refused.
const challenge = (headers: Headers) => headers.get('www-authenticate')

describe('the issuer’s 401s carry a Bearer challenge (RFC 6750 §3)', () => {
  test('a protected procedure called without a token gets a bare Bearer challenge', async () => {
    const t = createTestIssuer()
    const result = await t.call('auth.me')
    expect(failure(result)).toEqual({ status: 401, reason: 'TOKEN_MISSING' })
    expect(challenge(result.headers)).toBe('Bearer')
  })

  test('a forged, expired or signed-out token gets error="invalid_token"', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const forged = await t.call('auth.me', undefined, { token: `${pair.accessToken}x` })
    expect(failure(forged).reason).toBe('TOKEN_INVALID')
    expect(challenge(forged.headers)).toMatch(/^Bearer error="invalid_token"/)
    await t.call('auth.logout', {}, { token: pair.accessToken })
    const revoked = await t.call('auth.me', undefined, { token: pair.accessToken })
    expect(failure(revoked)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
    expect(challenge(revoked.headers)).toMatch(/^Bearer error="invalid_token"/)
    const { pair: other } = await signIn(t)
    t.advance(3600)
    const expired = await t.call('sessions.list', undefined, { token: other.accessToken })
    expect(failure(expired).reason).toBe('TOKEN_EXPIRED')
    expect(challenge(expired.headers)).toBe(
      'Bearer error="invalid_token", error_description="Access token has expired"',
    )
  })

  test('401s that involve no bearer token (sign-in, refresh) still name the scheme', async () => {
    const t = createTestIssuer()
    const { user } = await signIn(t)
    const wrong = await t.call('auth.login', { email: user.email, password: 'not the password' })
    expect(failure(wrong)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    expect(challenge(wrong.headers)).toBe('Bearer')
    const unknown = await refresh(t, 'A'.repeat(43))
    expect(failure(unknown)).toEqual({ status: 401, reason: 'REFRESH_TOKEN_INVALID' })
    expect(challenge(unknown.headers)).toBe('Bearer')
  })

  test('answers that are not 401 carry no challenge', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    expect(
      challenge((await t.call('auth.me', undefined, { token: pair.accessToken })).headers),
    ).toBeNull()
    const weak = await t.call('auth.register', { email: 'weak@example.com', password: 'short' })
    expect(weak.status).toBe(400)
    expect(challenge(weak.headers)).toBeNull()
  })

  test('the operator report’s 401 carries a challenge', async () => {
    const t = createTestIssuer({ ADMIN_SECRET: 'a'.repeat(40) })
    const bare = await t.request('/admin/legacy-report')
    expect(bare.status).toBe(401)
    expect(challenge(bare.headers)).toBe('Bearer')
    const wrong = await t.request('/admin/legacy-report', {
      headers: { authorization: `Bearer ${'b'.repeat(40)}` },
    })
    expect(wrong.status).toBe(401)
    expect(challenge(wrong.headers)).toMatch(/^Bearer error="invalid_token"/)
  })

  test('introspection’s 401 offers both schemes it accepts', async () => {
    const t = createTestIssuer()
    const response = await t.request('/oauth/introspect', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=x',
    })
    expect(response.status).toBe(401)
    expect(challenge(response.headers)).toBe(
      'Basic realm="rotor-introspection", Bearer realm="rotor-introspection"',
    )
    expect(env.INTROSPECTION_SECRET).toBeTruthy()
  })

  test('a browser client on a listed origin may read the challenge', async () => {
    const t = createTestIssuer()
    const result = await t.call('auth.me', undefined, {
      headers: { origin: 'http://localhost:8787' },
    })
    expect(result.headers.get('access-control-expose-headers')).toContain('www-authenticate')
  })
})
