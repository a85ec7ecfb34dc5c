import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { purgeEndedSessions } from '../../../worker/sessions/purge'
import { createTestIssuer, failure, signIn } from '../helpers/issuer'

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
    await purgeEndedSessions(t.issuer)
    expect(await countRows(pair.sessionId)).toEqual({ sessions: 1, tokens: 2 })
    t.advance(900 + 30 + 1)
    await purgeEndedSessions(t.issuer)
    expect(await countRows(pair.sessionId)).toEqual({ sessions: 0, tokens: 0 })
  })

  test('removes idle-expired sessions and leaves live ones working', async () => {
    const t = createTestIssuer({ REFRESH_IDLE_TTL: '3600', SESSION_MAX_AGE: '7200' })
    const idle = await signIn(t)
    t.advance(3000)
    const live = await signIn(t)
    t.advance(600 + 930 + 1)
    const purged = await purgeEndedSessions(t.issuer, { batchSize: 1, maxBatches: 1000 })
    expect(purged).toBeGreaterThanOrEqual(1)
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
