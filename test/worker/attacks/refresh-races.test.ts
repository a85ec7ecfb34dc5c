import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import {
  expectIntact,
  failure,
  oauthRefresh,
  remember,
  signInAgain,
  snapshot,
  useScene,
} from './helpers.ts'

// ASVS 4.2.1 (no access to another user's records by id) and RFC 9700 §4.14.2 under load: the
// attacker is a signed-in user of their own, and races are real concurrent requests on one D1.
const scene = useScene({ attacker: true })
const { t } = scene

const refresh = (refreshToken: string) => t.call('auth.refresh', { refreshToken })
const oauthToken = (refreshToken: string) => oauthRefresh(t, refreshToken)

const device = () => signInAgain(t, scene.victim)

describe('another user’s session ids (ASVS 4.2.1)', () => {
  test.each([
    ['in upper case', (id: string) => id.toUpperCase()],
    ['padded with spaces', (id: string) => ` ${id} `],
    ['as a LIKE wildcard', (id: string) => `${id.slice(0, 8)}%`],
    ['with SQL appended', (id: string) => `${id}' OR '1'='1`],
    ['as a glob', () => '*'],
  ])('sessions.revoke of the victim’s session id %s is SESSION_NOT_FOUND', async (_, shape) => {
    const before = await snapshot(scene.victim.user.id)
    const result = await t.call(
      'sessions.revoke',
      { sessionId: shape(scene.victim.pair.sessionId) },
      { token: scene.attacker.pair.accessToken },
    )
    expect(failure(result)).toEqual({ status: 404, reason: 'SESSION_NOT_FOUND' })
    await expectIntact(t, scene.victim, before)
  })

  test('a foreign revoke in the same millisecond as the owner’s own leaves no row in the owner’s trail', async () => {
    const lost = await device()
    const own = await t.call(
      'sessions.revoke',
      { sessionId: lost.sessionId },
      { token: scene.victim.pair.accessToken },
    )
    expect(own.status).toBe(200)
    const before = await snapshot(scene.victim.user.id)
    const foreign = await t.call(
      'sessions.revoke',
      { sessionId: lost.sessionId },
      {
        token: scene.attacker.pair.accessToken,
        headers: { 'cf-connecting-ip': '198.51.100.66', 'user-agent': 'attacker' },
      },
    )
    expect(failure(foreign)).toEqual({ status: 404, reason: 'SESSION_NOT_FOUND' })
    const planted = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_events WHERE session_id = ? AND user_agent = 'attacker'",
    )
      .bind(lost.sessionId)
      .first<{ n: number }>()
    expect(planted?.n).toBe(0)
    await expectIntact(t, scene.victim, before)
  })
})

describe('concurrency storms (RFC 9700 §4.14.2)', () => {
  test('12 concurrent refreshes of one token across auth.refresh and /oauth/token rotate it once', async () => {
    const stolen = await device()
    const before = await snapshot(scene.victim.user.id)
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 ? refresh(stolen.refreshToken) : oauthToken(stolen.refreshToken),
      ),
    )
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200))
    const successors = new Set(
      results.map((r) => (r.body.result?.data.refreshToken ?? r.body.refresh_token) as string),
    )
    expect(successors.size).toBe(1)
    remember(...successors)
    await expectIntact(t, scene.victim, before, {
      audit: { refresh: 1 },
      tokens: { total: 1, used: 1 },
    })
  })

  test('10 concurrent replays of a spent token end its family once, with one reuse event', async () => {
    const stolen = await device()
    const next = (await refresh(stolen.refreshToken)).body.result.data
    remember(next.accessToken, next.refreshToken)
    t.advance(11)
    const before = await snapshot(scene.victim.user.id)
    const results = await Promise.all(
      Array.from({ length: 10 }, () => refresh(stolen.refreshToken)),
    )
    for (const result of results) {
      expect(failure(result).status).toBe(401)
      expect(['REFRESH_TOKEN_REUSED', 'SESSION_REVOKED']).toContain(failure(result).reason)
    }
    expect(failure(await refresh(next.refreshToken)).reason).toBe('SESSION_REVOKED')
    await expectIntact(t, scene.victim, before, {
      audit: { 'refresh.reuse': 1 },
      ended: [stolen.sessionId],
    })
  })

  test('refreshes racing a sign-out never leave a live successor', async () => {
    const stolen = await device()
    const before = await snapshot(scene.victim.user.id)
    const [out, ...refreshes] = await Promise.all([
      t.call('auth.logout', {}, { token: stolen.accessToken }),
      ...Array.from({ length: 5 }, () => refresh(stolen.refreshToken)),
    ])
    expect(out!.status).toBe(200)
    const won = refreshes.filter((r) => r.status === 200)
    for (const result of won) {
      const pair = result.body.result.data
      remember(pair.accessToken, pair.refreshToken)
      expect(failure(await t.call('auth.me', undefined, { token: pair.accessToken }))).toEqual({
        status: 401,
        reason: 'SESSION_REVOKED',
      })
      expect(failure(await refresh(pair.refreshToken)).reason).toBe('SESSION_REVOKED')
    }
    for (const result of refreshes.filter((r) => r.status !== 200)) {
      expect(failure(result)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
    }
    await expectIntact(t, scene.victim, before, {
      audit: { logout: 1, ...(won.length ? { refresh: 1 } : {}) },
      ended: [stolen.sessionId],
      tokens: won.length ? { total: 1, used: 1 } : { total: 0, used: 0 },
    })
  })

  test('10 concurrent sign-outs of one device: one succeeds, the rest change nothing', async () => {
    const stolen = await device()
    const before = await snapshot(scene.victim.user.id)
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.call('auth.logout', {}, { token: stolen.accessToken })),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    for (const result of results.filter((r) => r.status !== 200)) {
      expect(failure(result)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
    }
    await expectIntact(t, scene.victim, before, { audit: { logout: 1 }, ended: [stolen.sessionId] })
  })
})
