import { describe, expect, test } from 'vitest'
import { MAX_CLOCK_SKEW_LEEWAY } from '../../../contract/index.ts'
import { purgeExpired } from '../../../worker/sessions/purge.ts'
import { createTestIssuer, login, registerUser, signIn } from '../helpers/issuer.ts'
import { readFeed, statusIdxOf, storedIdx } from './helpers.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

/** The feed's window: an access token's lifetime plus the most leeway a verifier may allow. */
const windowSeconds = (t: TestIssuer) => t.issuer.config.accessTokenTtl + MAX_CLOCK_SKEW_LEEWAY

const logout = (t: TestIssuer, accessToken: string) =>
  t.call('auth.logout', {}, { token: accessToken })

describe('the revocation feed’s window', () => {
  test('a session revoked exactly at the window’s edge is listed; one ms earlier, not', async () => {
    const t = createTestIssuer()
    const { user, pair: early } = await signIn(t)
    const edge = await login(t, user)
    const revokedAt = t.issuer.now()
    await logout(t, early.accessToken)
    t.advance(0.001)
    await logout(t, edge.accessToken)
    // Now − window is exactly the second revocation's time, one ms after the first's.
    t.advance(windowSeconds(t))
    expect(t.issuer.now()).toBe(revokedAt + 1 + windowSeconds(t) * 1000)
    const feed = await readFeed(t)
    expect(feed.revoked(statusIdxOf(edge.accessToken))).toBe(true)
    expect(feed.revoked(statusIdxOf(early.accessToken))).toBe(false)
  })

  test('the feed outlasts every token it lists: exp is iat plus the window', async () => {
    const t = createTestIssuer()
    const feed = await readFeed(t)
    expect(feed.claims.iat).toBe(Math.floor(t.issuer.now() / 1000))
    expect(feed.claims.exp).toBe(feed.claims.iat + windowSeconds(t))
    expect(feed.claims.ttl).toBe(t.issuer.config.revocationFeedResign)
  })

  test('seq moves on once per revoked session, never for a repeat, never back across a purge', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const [second, third] = [await login(t, user), await login(t, user)]
    const seq = async () => (await readFeed(t)).claims.seq
    const start = await seq()
    await logout(t, pair.accessToken)
    expect(await seq()).toBe(start + 1)
    // Signing out a session already signed out revokes nothing: the feed stays where it was.
    await t.call('auth.logout', { refreshToken: pair.refreshToken })
    expect(await seq()).toBe(start + 1)
    await t.call('auth.logoutAll', {}, { token: second.accessToken })
    expect(await seq()).toBe(start + 3)
    expect((await readFeed(t)).revoked(statusIdxOf(third.accessToken))).toBe(true)

    t.advance(windowSeconds(t) + 1)
    expect((await purgeExpired(t.issuer)).sessions).toBeGreaterThanOrEqual(3)
    const purged = await readFeed(t)
    expect(purged.claims.seq).toBe(start + 3)
    expect(purged.revoked(statusIdxOf(third.accessToken))).toBe(false)
  })

  test('a session started after the greatest revoked index lies past the list’s end', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    await logout(t, pair.accessToken)
    // Eight sessions later the newest index is in a byte the list does not reach.
    const later = await Promise.all(Array.from({ length: 8 }, () => login(t, user)))
    const feed = await readFeed(t)
    const revokedIdx = statusIdxOf(pair.accessToken)
    expect(feed.list.byteLength).toBe((revokedIdx >>> 3) + 1)
    const newest = Math.max(...later.map((next) => statusIdxOf(next.accessToken)))
    expect(newest).toBeGreaterThanOrEqual(feed.list.byteLength * 8)
    for (const next of later) expect(feed.revoked(statusIdxOf(next.accessToken))).toBe(false)
    expect(feed.revoked(revokedIdx)).toBe(true)
  })

  test('sign-ins racing each other get distinct indexes, one more than the greatest each', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const pairs = await Promise.all(Array.from({ length: 12 }, () => login(t, user)))
    const indexes = pairs.map((pair) => statusIdxOf(pair.accessToken))
    expect(new Set(indexes).size).toBe(indexes.length)
    const sorted = [...indexes].sort((a, b) => a - b)
    expect(sorted.at(-1)! - sorted[0]!).toBe(indexes.length - 1)
    for (const pair of pairs)
      expect(await storedIdx(pair.sessionId)).toBe(statusIdxOf(pair.accessToken))
  })
})
