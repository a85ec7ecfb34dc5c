import { describe, expect, test } from 'vitest'
import { createTestIssuer, failure, login, refresh, signIn } from '../helpers/issuer.ts'
import { createRecoveryIssuer } from '../recovery/helpers.ts'
import { readFeed, statusIdxOf } from './helpers.ts'
import type { TestIssuer, TokenPairBody } from '../helpers/issuer.ts'

// Every path that ends a session sets its bit at once: no clock moves between the revocation and
// the read, so each read also shows the revoking isolate dropping its cached feed.
async function expectListed(t: TestIssuer, revoked: TokenPairBody[], live: TokenPairBody[]) {
  const feed = await readFeed(t)
  for (const pair of revoked) expect(feed.revoked(statusIdxOf(pair.accessToken))).toBe(true)
  for (const pair of live) expect(feed.revoked(statusIdxOf(pair.accessToken))).toBe(false)
  return feed
}

describe('the revocation feed lists every way a session ends', () => {
  test('auth.logout: the signed-out session, not the user’s other one', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const other = await login(t, user)
    const before = await expectListed(t, [], [pair, other])
    expect((await t.call('auth.logout', {}, { token: pair.accessToken })).status).toBe(200)
    const after = await expectListed(t, [pair], [other])
    expect(after.claims.seq).toBe(before.claims.seq + 1)
  })

  test('auth.logoutAll: every session of the user, and no one else’s', async () => {
    const t = createTestIssuer()
    const alice = await signIn(t)
    const second = await login(t, alice.user)
    const bob = await signIn(t)
    await expectListed(t, [], [alice.pair, second, bob.pair])
    const out = await t.call('auth.logoutAll', {}, { token: alice.pair.accessToken })
    expect(out.body.result.data).toEqual({ ok: true, revoked: 2 })
    await expectListed(t, [alice.pair, second], [bob.pair])
  })

  test('sessions.revoke: the chosen device only', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const lost = await login(t, user)
    await expectListed(t, [], [pair, lost])
    const out = await t.call(
      'sessions.revoke',
      { sessionId: lost.sessionId },
      { token: pair.accessToken },
    )
    expect(out.status).toBe(200)
    await expectListed(t, [lost], [pair])
  })

  test('refresh-token reuse: the family’s session, not the user’s others', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const other = await login(t, user)
    const next = (await refresh(t, pair.refreshToken)).body.result.data as TokenPairBody
    await expectListed(t, [], [pair, next, other])
    t.advance(t.issuer.config.refreshReuseGrace + 1)
    expect(failure(await refresh(t, pair.refreshToken)).reason).toBe('REFRESH_TOKEN_REUSED')
    // The old and the new access token share the session's index: both are refused.
    expect(statusIdxOf(next.accessToken)).toBe(statusIdxOf(pair.accessToken))
    await expectListed(t, [pair, next], [other])
  })

  test('auth.changePassword: every other session of the user, not the caller’s', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const other = await login(t, user)
    await expectListed(t, [], [pair, other])
    const changed = await t.call(
      'auth.changePassword',
      { currentPassword: user.password, newPassword: 'a brand new passphrase' },
      { token: pair.accessToken },
    )
    expect(changed.body.result.data).toEqual({ ok: true, revoked: 1 })
    await expectListed(t, [other], [pair])
  })

  test('a password reset: every session of the user', async () => {
    const t = createRecoveryIssuer()
    const { user, pair } = await signIn(t)
    const other = await login(t, user)
    const bystander = await signIn(t)
    await expectListed(t, [], [pair, other, bystander.pair])
    await t.call('auth.requestPasswordReset', { email: user.email })
    await t.settle()
    const reset = await t.call('auth.resetPassword', {
      email: user.email,
      code: t.codeFor(user.email),
      newPassword: 'a brand new passphrase',
    })
    expect(reset.body.result.data).toEqual({ ok: true, revoked: 2 })
    await expectListed(t, [pair, other], [bystander.pair])
  })
})
