import { base64url } from 'jose'
import { ipLimitKey } from './ip-key.ts'
import { assertUnderLimit, rateLimited, secondsLeft } from './rate-limited.ts'
import type { Counter } from '../store/session-store.ts'
import type { RateLimits } from '../config/rate-limit-config.ts'

const MAX_BACKOFF_SECONDS = 900

/** Counter keys for one sign-in attempt. The email is hashed: keys are stored, emails need not be. */
export async function loginKeys(email: string, ip: string | null) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(email))
  return {
    ipKey: ipLimitKey('login', ip),
    failKey: `login-fail:${base64url.encode(new Uint8Array(digest))}`,
  }
}

/**
 * Refuses an attempt, before any password hashing, when the IP is over its limit, the account has
 * too many recent failures, or the back-off after consecutive failures has not yet passed
 * (2^(n − 5) s after the 5th, capped at 15 min). Unknown emails are counted alike. `failures` is
 * the account's counter before this attempt, `attempt` after it.
 */
export function assertLoginAllowed(
  limits: RateLimits,
  counters: { ip: Counter; failures: Counter | undefined; attempt: Counter },
  now: number,
): void {
  assertUnderLimit(counters.ip, limits.loginIp, now)
  // The attempt is counted before the hash, atomically, so parallel guesses cannot all slip in.
  assertUnderLimit(counters.attempt, limits.loginAccount, now)
  const failures = counters.failures
  if (!failures || failures.windowStart + limits.loginAccount.window * 1000 <= now) return
  if (failures.count >= limits.loginAccount.limit) {
    throw rateLimited(secondsLeft(failures, limits.loginAccount, now))
  }
  const over = failures.count - limits.loginBackoffAfter
  if (over < 0) return
  const backoff = Math.min(2 ** over, MAX_BACKOFF_SECONDS) * 1000
  if (now < failures.lastAt + backoff)
    throw rateLimited(Math.ceil((failures.lastAt + backoff - now) / 1000))
}
