import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { loginKeys } from '../../../worker/guard/login-guard.ts'
import { purgeExpired } from '../../../worker/sessions/purge.ts'
import { createTestIssuer, failure, signIn } from '../helpers/issuer.ts'

const countRows = async (sessionId: string) => {
  const sessions = await env.DB.prepare('SELECT COUNT(*) AS n FROM sessions WHERE id = ?')
    .bind(sessionId)
    .first<{ n: number }>()
  const tokens = await env.DB.prepare(
    'SELECT COUNT(*) AS n FROM refresh_tokens WHERE session_id = ?',
  )
    .bind(sessionId)
    .first<{ n: number }>()
  return { sessions: sessions!.n, tokens: tokens!.n }
}

describe('scheduled purge', () => {
  test('removes a signed-out session only after its last access token has expired', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    await t.call('auth.logout', {}, { token: pair.accessToken })
    await purgeExpired(t.issuer)
    expect(await countRows(pair.sessionId)).toEqual({ sessions: 1, tokens: 2 })
    // ACCESS_TOKEN_TTL plus the most leeway a verifier may allow (MAX_CLOCK_SKEW_LEEWAY).
    t.advance(900 + 59)
    await purgeExpired(t.issuer)
    expect(await countRows(pair.sessionId)).toEqual({ sessions: 1, tokens: 2 })
    t.advance(2)
    await purgeExpired(t.issuer)
    expect(await countRows(pair.sessionId)).toEqual({ sessions: 0, tokens: 0 })
  })

  test('removes idle-expired sessions and leaves live ones working', async () => {
    const t = createTestIssuer({ REFRESH_IDLE_TTL: '3600', SESSION_MAX_AGE: '7200' })
    const idle = await signIn(t)
    t.advance(3000)
    const live = await signIn(t)
    t.advance(600 + 960 + 1)
    const purged = await purgeExpired(t.issuer, { batchSize: 1, maxBatches: 1000 })
    expect(purged.sessions).toBeGreaterThanOrEqual(1)
    expect(await countRows(idle.pair.sessionId)).toEqual({ sessions: 0, tokens: 0 })
    expect(await countRows(live.pair.sessionId)).toEqual({ sessions: 1, tokens: 1 })
    const renewed = await t.call('auth.refresh', { refreshToken: live.pair.refreshToken })
    expect(renewed.status).toBe(200)
    expect(failure(await t.call('auth.refresh', { refreshToken: idle.pair.refreshToken }))).toEqual(
      {
        status: 401,
        reason: 'REFRESH_TOKEN_INVALID',
      },
    )
  })
})

describe('bounded guard tables', () => {
  test('audit rows past AUDIT_RETENTION and idle rate-limit counters are deleted', async () => {
    const t = createTestIssuer({ AUDIT_RETENTION: '86400' })
    const { user, pair } = await signIn(t)
    const { failKey } = await loginKeys(user.email, null)
    const rows = async () => {
      const audit = await env.DB.prepare('SELECT COUNT(*) AS n FROM audit_events WHERE user_id = ?')
        .bind(user.id)
        .first<{ n: number }>()
      const counters = await env.DB.prepare('SELECT COUNT(*) AS n FROM rate_limits WHERE key = ?')
        .bind(failKey)
        .first<{ n: number }>()
      return { audit: audit!.n, counters: counters!.n }
    }
    await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    const wrong = await t.call('auth.login', { email: user.email, password: 'not the password' })
    expect(failure(wrong)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    await purgeExpired(t.issuer)
    expect(await rows()).toEqual({ audit: 4, counters: 1 })
    t.advance(86_401)
    await purgeExpired(t.issuer)
    expect(await rows()).toEqual({ audit: 0, counters: 0 })
  })
})
