import { setTimeout as sleep } from 'node:timers/promises'
import { ROUTES } from '../contract/index.ts'
import { FEED_DEFAULTS } from '../verify/feed-mode.ts'
import { BENCH_FEED_HEADER } from './constants.ts'
import { call, startSessions } from './fixtures.ts'
import type { BenchUser } from './fixtures.ts'

/** Sign-out to the first refusal at a feed-mode verifier, in ms per run; or why it could not run. */
export type Propagation = { ms: number[]; feedInterval: number; skipped?: string }

const POLL_MS = 20

/**
 * Issue 15: over real HTTP, a session's token answers 200 at the resource worker's `/feed/whoami`,
 * then `auth.logout` at the issuer, then the same token is sent every 20 ms until the verifier
 * refuses it (`SESSION_REVOKED`). Each logout comes after a random pause of up to one
 * `feedInterval`, so the runs sample the verifier's refresh cycle (right after the previous run's
 * refusal, it would always be the worst case, a whole interval). Needs the issuer's own feed (and its tokens' `status` claim): with
 * the bench worker's stand-in feed nothing would ever be revoked, so it is skipped.
 */
export async function measurePropagation(options: {
  issuer: URL
  resource: URL
  user: BenchUser
  runs: number
}): Promise<Propagation> {
  const feedInterval = FEED_DEFAULTS.feedInterval
  const feed = await fetch(new URL(ROUTES.revocationFeed, options.issuer))
  await feed.body?.cancel()
  if (feed.headers.has(BENCH_FEED_HEADER)) {
    return { ms: [], feedInterval, skipped: 'the issuer serves no revocation feed of its own' }
  }
  const whoami = async (token: string) => {
    const response = await fetch(new URL('/feed/whoami', options.resource), {
      headers: { authorization: `Bearer ${token}` },
    })
    const body = (await response.json()) as { error?: { data?: { reason?: string } } }
    return { status: response.status, reason: body.error?.data?.reason }
  }
  const ms: number[] = []
  for (const pair of await startSessions(options.issuer, options.user, options.runs)) {
    const before = await whoami(pair.accessToken)
    if (before.status !== 200) {
      return {
        ms,
        feedInterval,
        skipped: `a live token answered ${before.status} ${before.reason}`,
      }
    }
    await sleep(Math.random() * feedInterval * 1000)
    // From the moment the logout is sent: the conservative end.
    const loggedOut = performance.now()
    await call(options.issuer, '/trpc/auth.logout', {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Bearer ${pair.accessToken}` },
    })
    const deadline = loggedOut + (feedInterval + 10) * 1000
    // Never refused in time: Infinity, a MISS.
    let elapsed = Infinity
    while (performance.now() <= deadline) {
      if ((await whoami(pair.accessToken)).reason === 'SESSION_REVOKED') {
        elapsed = performance.now() - loggedOut
        break
      }
      await sleep(POLL_MS)
    }
    ms.push(elapsed)
  }
  return { ms, feedInterval }
}
