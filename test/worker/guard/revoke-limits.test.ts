import { describe, expect, test } from 'vitest'
import { generateRefreshToken } from '../../../worker/tokens/refresh-token.ts'
import { createTestIssuer, failure, login, me, signIn } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

const someIp = () => `203.0.113.${Math.floor(Math.random() * 250)}`
const revokeSession = (t: TestIssuer, token: string, sessionId: string, ip: string) =>
  t.call('sessions.revoke', { sessionId }, { token, headers: { 'cf-connecting-ip': ip } })
const oauthRevoke = (t: TestIssuer, token: string, ip: string) =>
  t.request('/oauth/revoke', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': ip },
    body: `token=${encodeURIComponent(token)}`,
  })

describe('revocation limits per IP', () => {
  test('sessions.revoke past the limit is 429 with Retry-After and revokes nothing', async () => {
    const t = createTestIssuer({ RATE_LIMIT_REVOKE_IP: '2/60' })
    const { user, pair } = await signIn(t)
    const other = await login(t, user)
    const ip = someIp()
    for (let i = 0; i < 2; i++) {
      const unknown = await revokeSession(t, pair.accessToken, crypto.randomUUID(), ip)
      expect(failure(unknown)).toEqual({ status: 404, reason: 'SESSION_NOT_FOUND' })
    }
    const limited = await revokeSession(t, pair.accessToken, other.sessionId, ip)
    expect(failure(limited)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(limited.headers.get('retry-after')).toBe('60')
    expect((await me(t, other.accessToken)).status).toBe(200)
    t.advance(60)
    expect((await revokeSession(t, pair.accessToken, other.sessionId, ip)).status).toBe(200)
    expect(failure(await me(t, other.accessToken))).toMatchObject({ reason: 'SESSION_REVOKED' })
  })

  test('/oauth/revoke past the limit is 429 with Retry-After and revokes nothing', async () => {
    const t = createTestIssuer({ RATE_LIMIT_REVOKE_IP: '2/60' })
    const { pair } = await signIn(t)
    const ip = someIp()
    for (let i = 0; i < 2; i++) {
      expect((await oauthRevoke(t, generateRefreshToken('body'), ip)).status).toBe(200)
    }
    const limited = await oauthRevoke(t, pair.refreshToken, ip)
    expect(limited.status).toBe(429)
    expect(await limited.json()).toMatchObject({ error: 'invalid_request', reason: 'RATE_LIMITED' })
    expect(limited.headers.get('retry-after')).toBe('60')
    expect((await me(t, pair.accessToken)).status).toBe(200)
  })

  test('both routes share one budget per IP; other IPs and sign-outs are unaffected', async () => {
    const t = createTestIssuer({ RATE_LIMIT_REVOKE_IP: '1/60' })
    const { pair } = await signIn(t)
    const ip = someIp()
    expect((await oauthRevoke(t, generateRefreshToken('body'), ip)).status).toBe(200)
    const limited = await revokeSession(t, pair.accessToken, crypto.randomUUID(), ip)
    expect(failure(limited)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect((await oauthRevoke(t, generateRefreshToken('body'), '192.0.2.201')).status).toBe(200)
    // Signing out one's own session is no revocation of others: never limited here.
    const logout = await t.call(
      'auth.logout',
      {},
      {
        token: pair.accessToken,
        headers: { 'cf-connecting-ip': ip },
      },
    )
    expect(logout.status).toBe(200)
  })
})
