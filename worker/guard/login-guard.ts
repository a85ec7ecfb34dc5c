import { base64url } from 'jose'
import { ipLimitKey } from './ip-key.ts'
import { assertUnderLimit, rateLimited, secondsLeft } from './rate-limited.ts'
import type { Counter } from '../store/session-store.ts'
import type { RateLimit, RateLimits } from '../config/rate-limit-config.ts'

const MAX_BACKOFF_SECONDS = 900

/**
 * Counter keys for one sign-in attempt: the IP's attempts, the account's attempts (counted as
 * they start, so parallel guesses are bounded) and the account's failures (counted as they
 * resolve, so the back-off never mistakes a sign-in still in flight for a failure). The email is
 * hashed: keys are stored, emails need not be.
 */
export async function loginKeys(email: string, ip: string | null) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(email))
  const account = base64url.encode(new Uint8Array(digest))
  return {
    ipKey: ipLimitKey('login', ip),
    attemptKey: `login-attempt:${account}`,
    failKey: `login-fail:${account}`,
  }
}

/**
 * Refuses an attempt, before any password hashing, when the IP is over its limit, the account has
 * too many recent failures, more attempts than that are already in flight, or the back-off after
 * consecutive failures has not yet passed (2^(n − `loginBackoffAfter`) s after the last failure,
 * capped at 15 min). Unknown emails are counted alike. `failures` is the account's resolved
 * failures, `attempt` its attempts after counting this one.
 */
export function assertLoginAllowed(
  limits: RateLimits,
  counters: AttemptCounters,
  now: number,
): void {
  const { loginIp: ip, loginAccount: account, loginBackoffAfter: backoffAfter } = limits
  assertAttemptAllowed({ ip, account, backoffAfter }, counters, now)
}

/** What one kind of guess is limited by: its IP's attempts, the account's failures, the back-off. */
export type AttemptPolicy = { ip: RateLimit; account: RateLimit; backoffAfter: number }
export type AttemptCounters = { ip: Counter; failures: Counter | undefined; attempt: Counter }

/**
 * The rules `assertLoginAllowed` applies to passwords, for any guess counted the same way (a
 * second-factor code, README: Second factor).
 */
export function assertAttemptAllowed(
  policy: AttemptPolicy,
  counters: AttemptCounters,
  now: number,
): void {
  assertUnderLimit(counters.ip, policy.ip, now)
  const failures = live(counters.failures, policy.account, now)
  if (failures && failures.count >= policy.account.limit) {
    throw rateLimited(secondsLeft(failures, policy.account, now))
  }
  // Counted before the hash, atomically: over the limit here means the others are still in flight
  // (each takes a fraction of a second), so the caller is told to retry shortly.
  if (counters.attempt.count > policy.account.limit) {
    throw rateLimited(1, 'Another sign-in to this account is in progress; try again in 1 s')
  }
  const over = (failures?.count ?? 0) - policy.backoffAfter
  if (!failures || over < 0) return
  const backoff = Math.min(2 ** over, MAX_BACKOFF_SECONDS) * 1000
  if (now < failures.lastAt + backoff)
    throw rateLimited(Math.ceil((failures.lastAt + backoff - now) / 1000))
}

/** The counter while its window lasts. */
function live(counter: Counter | undefined, limit: RateLimit, now: number) {
  return counter && counter.windowStart + limit.window * 1000 > now ? counter : undefined
}
