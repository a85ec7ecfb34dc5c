import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { countingD1 } from '../../../bench/worker/counting-d1.ts'
import { ROUTES } from '../../../contract/index.ts'
import { generateRefreshToken } from '../../../worker/tokens/refresh-token.ts'
import { needsRehash } from '../../../worker/passwords/password-hash.ts'
import { createTestIssuer, login, registerUser } from '../helpers/issuer.ts'
import { seedUser, storedHash } from '../helpers/seed-user.ts'
import { FOREIGN_HASHES } from '../passwords/hash-fixtures.ts'
import { challengeFor, enrolledUser } from '../mfa/helpers.ts'

// In production each round trip to the D1 primary costs milliseconds to tens of milliseconds:
// the count, not local timing, decides real latency.
describe('D1 round trips per operation', () => {
  const counters = new WeakMap<object, ReturnType<typeof countingD1>['counter']>()
  const counter = (t: object) => counters.get(t)!
  async function measured() {
    const { binding, counter } = countingD1(env.DB)
    const t = createTestIssuer({}, { DB: binding })
    counters.set(t, counter)
    const user = await registerUser(t)
    const count = async (run: () => Promise<unknown>) => {
      const before = counter.roundTrips
      await run()
      return counter.roundTrips - before
    }
    return { t, user, count }
  }

  test('login 2, authed call 1, refresh 1, logout 1', async () => {
    const { t, user, count } = await measured()
    let pair = await login(t, user)
    expect(await count(() => login(t, user))).toBe(2)
    expect(await count(() => t.call('auth.me', undefined, { token: pair.accessToken }))).toBe(1)
    expect(
      await count(async () => {
        pair = (await t.call('auth.refresh', { refreshToken: pair.refreshToken })).body.result.data
      }),
    ).toBe(1)
    expect(await count(() => t.call('auth.logout', {}, { token: pair.accessToken }))).toBe(1)
  })

  test('a logout writes 7 rows, the feed’s sequence row among them, in its one round trip', async () => {
    const { t, user, count } = await measured()
    const pair = await login(t, user)
    const before = counter(t).rowsWritten
    expect(await count(() => t.call('auth.logout', {}, { token: pair.accessToken }))).toBe(1)
    // The session row and its revoked_at index entry; the audit row, its two index entries and
    // its AUTOINCREMENT counter (sqlite_sequence); the revocation_feed row the trigger moves on
    // (migration 0010), the one row the feed adds to a sign-out.
    expect(counter(t).rowsWritten - before).toBe(7)
  })

  test('the revocation feed: one round trip per build, shared by concurrent requests', async () => {
    const { t, count } = await measured()
    const feed = () => t.request(ROUTES.revocationFeed)
    const statuses = async (n: number) =>
      (await Promise.all(Array.from({ length: n }, feed))).map((r) => r.status)
    expect(await count(() => statuses(10))).toBe(1)
    // Within the isolate's second nothing is read; after it, one read again.
    expect(await count(() => statuses(5))).toBe(0)
    t.advance(1)
    expect(await count(() => statuses(5))).toBe(1)
  })

  test('a sign-in leaves the isolate’s feed cached; a sign-out in the isolate rebuilds it', async () => {
    const { t, user, count } = await measured()
    const feed = () => t.request(ROUTES.revocationFeed)
    await feed()
    const pair = await login(t, user)
    expect(await count(feed)).toBe(0)
    await t.call('auth.logout', {}, { token: pair.accessToken })
    expect(await count(feed)).toBe(1)
  })

  test('a sign-in that upgrades a foreign password hash is still two: it rides the session batch', async () => {
    const { t, count } = await measured()
    const user = await seedUser(FOREIGN_HASHES['bcrypt $2b$'])
    expect(await count(() => login(t, user))).toBe(2)
    expect(needsRehash(await storedHash(user.id))).toBe(false)
  })

  test('an unknown refresh token is one round trip, its per-IP count included', async () => {
    const { t, count } = await measured()
    const unknown = { refreshToken: generateRefreshToken('body') }
    expect(await count(() => t.call('auth.refresh', unknown))).toBe(1)
  })

  test('a refresh inside the grace window is still one round trip', async () => {
    const { t, user, count } = await measured()
    const pair = await login(t, user)
    await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    expect(await count(() => t.call('auth.refresh', { refreshToken: pair.refreshToken }))).toBe(1)
  })

  test('with a second factor: login 2 (a challenge, no session), verifyMfa 3, stepUp 3', async () => {
    const { t, count } = await measured()
    const mfa = await enrolledUser(t)
    let challenge = ''
    expect(
      await count(async () => {
        challenge = await challengeFor(t, mfa.user)
      }),
    ).toBe(2)
    // The counters and the factor; the claim of code and challenge; the session's batch.
    let status = 0
    const code = mfa.nextCode()
    expect(
      await count(async () => {
        status = (await t.call('auth.verifyMfa', { challenge, code })).status
      }),
    ).toBe(3)
    expect(status).toBe(200)
    // The session read every authed call makes; the counters and the factor; the claim with the
    // session's new assurance and the audit row.
    const stepUp = () =>
      t.call('auth.stepUp', { code: mfa.nextCode() }, { token: mfa.pair.accessToken })
    expect(await count(stepUp)).toBe(3)
  })

  test('a browser’s sign-out, its Bearer and its cookie checked against each other, is one', async () => {
    const { t, user, count } = await measured()
    const origin = 'http://localhost:8787'
    const signedIn = await t.call(
      'auth.login',
      { ...user, delivery: 'cookie' },
      { headers: { origin } },
    )
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!
    const headers = {
      origin,
      cookie,
      authorization: `Bearer ${signedIn.body.result.data.accessToken}`,
    }
    let status = 0
    expect(
      await count(async () => {
        status = (await t.call('auth.logout', {}, { headers })).status
      }),
    ).toBe(1)
    expect(status).toBe(200)
  })
})
