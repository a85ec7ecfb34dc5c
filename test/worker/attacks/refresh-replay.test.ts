import { describe, expect, test } from 'vitest'
import {
  expectIntact,
  failure,
  oauthRefresh,
  remember,
  send,
  signInAgain,
  snapshot,
  useScene,
} from './helpers.ts'

// RFC 9700 §4.14 (refresh token protection), ASVS 3.3.1 (sign-out invalidates the session): a
// stolen refresh token of one of the victim's devices is replayed in every way after that device
// is signed out or its token spent. The victim's main session must come through untouched.
const scene = useScene()
const { t } = scene

const oauthToken = (refreshToken: string) => oauthRefresh(t, refreshToken)

/** A second device of the victim: the one the thief holds tokens of. */
const device = () => signInAgain(t, scene.victim)

/** Replays a dead device's tokens on both refresh surfaces and as a bearer; all must fail. */
async function expectDead(stolen: { accessToken: string; refreshToken: string }, reason: string) {
  expect(failure(await t.call('auth.refresh', { refreshToken: stolen.refreshToken }))).toEqual({
    status: 401,
    reason,
  })
  const viaOauth = await oauthToken(stolen.refreshToken)
  expect(viaOauth.status).toBe(400)
  expect(viaOauth.body).toMatchObject({ error: 'invalid_grant', reason })
  expect(failure(await t.call('auth.me', undefined, { token: stolen.accessToken }))).toEqual({
    status: 401,
    reason: 'SESSION_REVOKED',
  })
}

type Ending = (stolen: { accessToken: string; refreshToken: string; sessionId: string }) => unknown

describe('replay after sign-out (ASVS 3.3.1, RFC 9700 §4.14)', () => {
  test.each<[string, Ending]>([
    ['auth.logout', (d) => t.call('auth.logout', {}, { token: d.accessToken })],
    [
      'sessions.revoke from the main device',
      (d) =>
        t.call(
          'sessions.revoke',
          { sessionId: d.sessionId },
          { token: scene.victim.pair.accessToken },
        ),
    ],
    [
      'auth.logoutAll with keepCurrent from the main device',
      () =>
        t.call('auth.logoutAll', { keepCurrent: true }, { token: scene.victim.pair.accessToken }),
    ],
    [
      '/oauth/revoke of its access token',
      (d) =>
        send(t.app, '/oauth/revoke', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: d.accessToken }),
        }),
    ],
  ])('a device signed out by %s stays dead to its refresh and access tokens', async (_, end) => {
    const stolen = await device()
    expect((await end(stolen)) as { status: number }).toMatchObject({ status: 200 })
    const before = await snapshot(scene.victim.user.id)
    await expectDead(stolen, 'SESSION_REVOKED')
    await expectIntact(t, scene.victim, before)
  })

  test('a device signed out by a password change stays dead, and the old password with it', async () => {
    const stolen = await device()
    const newPassword = `${scene.victim.user.password} renewed ${crypto.randomUUID().slice(0, 4)}`
    remember(newPassword)
    const changed = await t.call(
      'auth.changePassword',
      { currentPassword: scene.victim.user.password, newPassword },
      { token: scene.victim.pair.accessToken },
    )
    expect(changed.body.result.data).toEqual({ ok: true, revoked: 1 })
    const oldPassword = scene.victim.user.password
    scene.victim.user.password = newPassword
    const before = await snapshot(scene.victim.user.id)
    await expectDead(stolen, 'SESSION_REVOKED')
    const old = await t.call('auth.login', {
      email: scene.victim.user.email,
      password: oldPassword,
    })
    expect(failure(old)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    await expectIntact(t, scene.victim, before, { audit: { 'login.failure': 1 } })
  })
})

describe('reuse of a spent refresh token (RFC 9700 §4.14.2)', () => {
  test('a token spent on auth.refresh and replayed on /oauth/token ends that device only', async () => {
    const stolen = await device()
    const next = (await t.call('auth.refresh', { refreshToken: stolen.refreshToken })).body.result
      .data
    remember(next.accessToken, next.refreshToken)
    t.advance(11)
    const before = await snapshot(scene.victim.user.id)
    const replay = await oauthToken(stolen.refreshToken)
    expect(replay.status).toBe(400)
    expect(replay.body).toMatchObject({ error: 'invalid_grant', reason: 'REFRESH_TOKEN_REUSED' })
    await expectDead(next, 'SESSION_REVOKED')
    await expectIntact(t, scene.victim, before, {
      audit: { 'refresh.reuse': 1 },
      ended: [stolen.sessionId],
    })
  })

  test('a token two rotations old, replayed inside the grace window, is reuse', async () => {
    const stolen = await device()
    const one = (await t.call('auth.refresh', { refreshToken: stolen.refreshToken })).body.result
      .data
    const two = (await t.call('auth.refresh', { refreshToken: one.refreshToken })).body.result.data
    remember(one.accessToken, one.refreshToken, two.accessToken, two.refreshToken)
    const before = await snapshot(scene.victim.user.id)
    expect(failure(await t.call('auth.refresh', { refreshToken: stolen.refreshToken }))).toEqual({
      status: 401,
      reason: 'REFRESH_TOKEN_REUSED',
    })
    await expectDead(two, 'SESSION_REVOKED')
    await expectIntact(t, scene.victim, before, {
      audit: { 'refresh.reuse': 1 },
      ended: [stolen.sessionId],
    })
  })
})

describe('look-alike and misplaced tokens change nothing', () => {
  const flipCase = (token: string) => {
    const i = [...token].findIndex((c) => /[a-zA-Z]/.test(c))
    const c = token[i]!
    return (
      token.slice(0, i) +
      (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) +
      token.slice(i + 1)
    )
  }
  test.each([
    ['with one letter’s case flipped', flipCase],
    [
      'in standard base64 with padding',
      (r: string) => `${r.replace(/-/g, '+').replace(/_/g, '/')}=`,
    ],
    ['with a space on each side', (r: string) => ` ${r} `],
    ['with its last character dropped', (r: string) => r.slice(0, -1)],
  ])('the victim’s refresh token %s is not a reuse and ends nothing', async (_, variant) => {
    const before = await snapshot(scene.victim.user.id)
    const result = await t.call('auth.refresh', {
      refreshToken: variant(scene.victim.pair.refreshToken),
    })
    expect(failure(result)).toEqual({ status: 401, reason: 'REFRESH_TOKEN_INVALID' })
    await expectIntact(t, scene.victim, before)
  })

  test('a refresh token is not an access token', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await t.call('auth.logoutAll', {}, { token: scene.victim.pair.refreshToken })
    expect(failure(result)).toEqual({ status: 401, reason: 'TOKEN_INVALID' })
    await expectIntact(t, scene.victim, before)
  })

  test('an access token is not a refresh token on /oauth/token', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await oauthToken(scene.victim.pair.accessToken)
    expect(result.status).toBe(400)
    expect(result.body).toMatchObject({ error: 'invalid_grant', reason: 'REFRESH_TOKEN_INVALID' })
    await expectIntact(t, scene.victim, before)
  })

  test('a refresh token sent in a URL (a GET) is refused and not spent', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await t.call(
      'auth.refresh',
      { refreshToken: scene.victim.pair.refreshToken },
      { method: 'GET' },
    )
    expect(failure(result)).toEqual({ status: 405, reason: 'INVALID_INPUT' })
    await expectIntact(t, scene.victim, before)
  })
})
