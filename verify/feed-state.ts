import { RotorError } from '../contract/index.ts'
import { FeedRefused } from './feed-refused.ts'
import { fetchRevocationFeed, orderProblem } from './revocation-feed.ts'
import type { FeedSource, RevocationFeed } from './revocation-feed.ts'

export type FeedPolicy = {
  /** ms between refreshes. */
  intervalMs: number
  /** Seconds after its signed `iat` a feed stops being trusted. */
  maxStaleness: number
  /** With no trusted feed: refuse (503) or serve as stateless. */
  staleFeed: 'refuse' | 'stateless'
  /** Seconds a 503 asks the caller to wait: the next refresh. */
  retryAfter: number
}

/** Hands a promise to the runtime to finish after the response (`ExecutionContext.waitUntil`). */
export type WaitUntil = (promise: Promise<unknown>) => void

export type FeedState = {
  /**
   * The bit list to check a token against, or `undefined` to serve as stateless
   * (`staleFeed: 'stateless'` with no trusted feed). Starts a background refresh when one is due;
   * waits only when the isolate holds no feed yet. Throws `REVOCATION_FEED_UNAVAILABLE`.
   */
  currentList(nowMs: number, waitUntil: WaitUntil | undefined): Promise<Uint8Array | undefined>
}

/**
 * One isolate's feed, stale-while-revalidate: refreshed every `intervalMs`, one fetch in flight.
 * Requests share only plain values and a promise that resolves to nothing, never a Response or a
 * stream (Workers forbid one request's I/O objects in another). A feed that cannot be fetched or
 * verified leaves the held one in place and logs once per failure episode; a held feed past
 * `maxStaleness` (from its signed `iat`, which a 304 or a replay cannot move) or its `exp` is no
 * longer trusted, and that too logs once per episode.
 */
export function createFeedState(source: FeedSource, policy: FeedPolicy): FeedState {
  let held: RevocationFeed | undefined
  let inFlight: { done: Promise<void>; startedAt: number } | undefined
  let lastAttemptMs = -Infinity
  let failing = false
  let untrusted = false
  let warned = false
  // A healthy issuer's feed may be `ttl` old when fetched, and one refresh and timeout older
  // before the next: past maxStaleness, this verifier would refuse while nothing is wrong.
  const outlivesTrust = (ttl: number | undefined) =>
    ttl !== undefined &&
    ttl + (policy.intervalMs + source.timeoutMs) / 1000 + source.clockSkewLeeway >=
      policy.maxStaleness

  const refresh = (nowMs: number) => {
    lastAttemptMs = nowMs
    // A held feed past half its trust is asked for whole: a 304 would not make it younger.
    const conditional = held !== undefined && nowMs < trustedUntil(held, policy.maxStaleness / 2)
    const done = (async () => {
      try {
        const result = await fetchRevocationFeed(source, held, { nowMs, conditional })
        if (result !== 'unchanged' && !orderProblem(result, held)) {
          held = result
          if (!warned && outlivesTrust(result.ttl)) warned = warnShortStaleness(result.ttl!, policy)
        }
        failing = false
      } catch (error) {
        if (!failing) logRefusal(error)
        failing = true
      }
    })()
    const current = { done, startedAt: Date.now() }
    inFlight = current
    void done.finally(() => {
      if (inFlight === current) inFlight = undefined
    })
    return done
  }

  const trustedUntil = (feed: RevocationFeed, seconds: number) =>
    Math.min(feed.iat + seconds, feed.exp + source.clockSkewLeeway) * 1000

  return {
    async currentList(nowMs, waitUntil) {
      // A fetch whose request was cancelled never settles (its timer went with it): let it go.
      if (inFlight && Date.now() - inFlight.startedAt > source.timeoutMs + 1000) {
        inFlight = undefined
      }
      const due = !inFlight && nowMs - lastAttemptMs >= policy.intervalMs
      if (!held) {
        // The only wait: an isolate with no feed yet. Another request's fetch is awaited at most
        // as long as a fetch may take, in case that request ends first.
        if (due) await refresh(nowMs)
        else if (inFlight) await settledWithin(inFlight.done, source.timeoutMs)
      } else if (due) {
        waitUntil?.(refresh(nowMs))
      }
      if (held && nowMs <= trustedUntil(held, policy.maxStaleness)) {
        untrusted = false
        return held.list
      }
      if (!untrusted) logUntrusted(held, nowMs, policy)
      untrusted = true
      if (policy.staleFeed === 'stateless') return undefined
      throw new RotorError(
        'REVOCATION_FEED_UNAVAILABLE',
        'Whether this session was signed out cannot be told now; try again',
        { retryAfter: policy.retryAfter },
      )
    },
  }
}

async function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  try {
    await Promise.race([promise, elapsed])
  } finally {
    clearTimeout(timer)
  }
}

// One JSON line each, like issuer-unavailable.ts: a reason, a problem, never a token.
function logRefusal(error: unknown) {
  const problem = error instanceof FeedRefused ? error.problem : 'unreachable'
  const detail = error instanceof Error ? error.message : String(error)
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'revocation feed refused; keeping the last good one',
      reason: 'REVOCATION_FEED_UNAVAILABLE',
      problem,
      detail,
    }),
  )
}

function logUntrusted(held: RevocationFeed | undefined, nowMs: number, policy: FeedPolicy) {
  const serving = policy.staleFeed === 'stateless' ? 'serving as stateless' : 'refusing with 503'
  console.error(
    JSON.stringify({
      level: 'error',
      msg: `no trusted revocation feed; ${serving}`,
      reason: 'REVOCATION_FEED_UNAVAILABLE',
      staleFeed: policy.staleFeed,
      feedAgeSeconds: held ? Math.floor(nowMs / 1000) - held.iat : null,
      maxStaleness: policy.maxStaleness,
    }),
  )
}

function warnShortStaleness(ttl: number, policy: FeedPolicy): true {
  console.warn(
    JSON.stringify({
      level: 'warn',
      msg: 'maxStaleness is too short for this issuer: a healthy feed may be refused',
      reason: 'REVOCATION_FEED_UNAVAILABLE',
      ttl,
      feedInterval: policy.intervalMs / 1000,
      maxStaleness: policy.maxStaleness,
    }),
  )
  return true
}
