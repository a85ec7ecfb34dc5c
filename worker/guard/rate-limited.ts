import { RotorError } from '../../contract/index.ts'
import type { Issuer } from '../issuer.ts'
import type { WindowCount } from '../store/session-store.ts'
import type { RateLimit } from '../config/rate-limit-config.ts'

/** Whole seconds until the counter's window ends (at least 1). */
export function secondsLeft(counter: WindowCount, limit: RateLimit, now: number): number {
  return Math.max(1, Math.ceil((counter.windowStart + limit.window * 1000 - now) / 1000))
}

/** Throws `RATE_LIMITED` with `Retry-After` when the counter is over its limit. */
export function assertUnderLimit(
  counter: WindowCount | undefined,
  limit: RateLimit,
  now: number,
): void {
  if (!counter || counter.count <= limit.limit) return
  if (counter.windowStart + limit.window * 1000 <= now) return
  throw rateLimited(secondsLeft(counter, limit, now))
}

export function rateLimited(
  retryAfter: number,
  message = `Too many attempts; try again in ${retryAfter} s`,
): RotorError {
  return new RotorError('RATE_LIMITED', message, { retryAfter })
}

/** Counts one event against `key` and throws `RATE_LIMITED` once it is over `limit`. */
export async function enforceLimit(
  issuer: Pick<Issuer, 'store' | 'now'>,
  key: string,
  limit: RateLimit,
): Promise<void> {
  const now = issuer.now()
  const counter = await issuer.store.hitRateLimit(key, now, limit.window * 1000)
  assertUnderLimit(counter, limit, now)
}
