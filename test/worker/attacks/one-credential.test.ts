import { beforeAll, describe, expect, test } from 'vitest'
import {
  ALLOWED_ORIGIN,
  createVictim,
  expectIntact,
  expectRefusal,
  failure,
  oauthRefresh,
  send,
  snapshot,
  useScene,
} from './helpers.ts'
import type { CallResult, Victim } from './helpers.ts'

// One credential per request (RFC 6750 §2, "clients MUST NOT use more than one method"; ASVS 3.5):
// a request that carries two refresh tokens, or a refresh token and an access token of different
// sessions, is refused whole rather than acted on for one of them. A cookie session's refresh
// token works only from the cookie: replayed in a body it skips the origin check of cookie calls.
const scene = useScene({ cookie: true })
const { t } = scene
/** An attacker with a session of their own, signed in the body way. */
let attacker: Victim
beforeAll(async () => {
  attacker = await createVictim(t)
})

const conflict = { status: 400, reason: 'CREDENTIALS_CONFLICT' }
const invalid = { status: 401, reason: 'REFRESH_TOKEN_INVALID' }
const withCookie = (extra: Record<string, string> = {}) => ({
  headers: { origin: ALLOWED_ORIGIN, cookie: scene.victim.cookie!, ...extra },
})

/** The attack must be refused and leave both the victim's and the attacker's session as they were. */
async function expectBothIntact(attack: () => Promise<CallResult>, refusal: typeof conflict) {
  const attackerBefore = await snapshot(attacker.user.id)
  const result = await expectRefusal(t, scene.victim, attack, refusal)
  expect(result.headers.get('set-cookie')).toBeNull()
  await expectIntact(t, attacker, attackerBefore)
  return result
}

describe('a cookie session’s refresh token outside its cookie', () => {
  test('replayed in an auth.refresh body it rotates nothing', async () => {
    const result = await expectRefusal(
      t,
      scene.victim,
      () => t.call('auth.refresh', { refreshToken: scene.victim.pair.refreshToken }),
      invalid,
    )
    expect(result.body.error.message).toMatch(/cookie/)
  })

  test('replayed at /oauth/token it rotates nothing', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await oauthRefresh(t, scene.victim.pair.refreshToken)
    expect(result.status).toBe(400)
    expect(result.body).toMatchObject({ error: 'invalid_grant', reason: 'REFRESH_TOKEN_INVALID' })
    await expectIntact(t, scene.victim, before)
  })

  test('in an auth.logout body it signs nobody out', async () => {
    await expectRefusal(
      t,
      scene.victim,
      () => t.call('auth.logout', { refreshToken: scene.victim.pair.refreshToken }),
      invalid,
    )
  })

  test('at /oauth/revoke it revokes nothing (200, as for any unknown token)', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await send(t.app, '/oauth/revoke', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: scene.victim.pair.refreshToken }),
    })
    expect(result.status).toBe(200)
    await expectIntact(t, scene.victim, before)
  })
})

describe('two credentials in one request', () => {
  test('a refresh with the victim’s cookie and another token in the body rotates neither', async () => {
    await expectBothIntact(
      () => t.call('auth.refresh', { refreshToken: attacker.pair.refreshToken }, withCookie()),
      conflict,
    )
  })

  test('a sign-out with the victim’s cookie and another user’s Bearer signs nobody out', async () => {
    const result = await expectBothIntact(
      () =>
        t.call(
          'auth.logout',
          {},
          withCookie({ authorization: `Bearer ${attacker.pair.accessToken}` }),
        ),
      conflict,
    )
    expect(result.body.error.message).toMatch(/different sessions/)
  })

  test('a sign-out with the victim’s Bearer and another user’s refresh token in the body signs nobody out', async () => {
    await expectBothIntact(
      () =>
        t.call(
          'auth.logout',
          { refreshToken: attacker.pair.refreshToken },
          { token: scene.victim.pair.accessToken },
        ),
      conflict,
    )
  })

  test('a sign-out with the cookie and a different body token signs nobody out', async () => {
    await expectBothIntact(
      () => t.call('auth.logout', { refreshToken: attacker.pair.refreshToken }, withCookie()),
      conflict,
    )
  })

  test('the victim’s own Bearer with the victim’s own cookie signs out that session only', async () => {
    const second = await createVictim(t, true)
    const out = await t.call(
      'auth.logout',
      {},
      {
        headers: {
          origin: ALLOWED_ORIGIN,
          cookie: second.cookie!,
          authorization: `Bearer ${second.pair.accessToken}`,
        },
      },
    )
    expect(out.status).toBe(200)
    const me = await t.call('auth.me', undefined, { token: second.pair.accessToken })
    expect(failure(me)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
    expect((await t.call('auth.me', undefined, { token: attacker.pair.accessToken })).status).toBe(
      200,
    )
  })
})
