import { classifyFailure } from './failure.ts'

/** How refresh and sign-out requests are retried after a transient failure. Times in seconds. */
export type RetryPolicy = {
  /** Attempts in all, the first included. @default 5 */
  attempts?: number
  /** Wait before the first retry; it doubles on each later one, with jitter. @default 0.5 */
  baseDelay?: number
  /** Longest wait between two attempts. @default 8 */
  maxDelay?: number
  /**
   * A `Retry-After` longer than this ends the retries at once, so one rate limit does not hold
   * every waiting call for minutes; the error reaches the caller instead. @default 30
   */
  maxRetryAfter?: number
  /**
   * Retries end once this long has passed since the first attempt. A refresh is retried with the
   * same token, which the issuer honours only within its grace window (`REFRESH_REUSE_GRACE`, 10 s
   * by default): a retry after it would look like theft and end the session. @default 8
   */
  within?: number
}

export type RetryOptions = {
  policy: Required<RetryPolicy>
  /** Waits `ms` milliseconds (a seam: tests advance a fake clock instead of sleeping). */
  sleep: (ms: number) => Promise<void>
  /** Device time in milliseconds, to keep retries `within` the window. @default Date.now */
  now?: () => number
  /** Called before each wait, for tests and logs. */
  onRetry?: (attempt: number, waitMs: number) => void
}

export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = {
  attempts: 5,
  baseDelay: 0.5,
  maxDelay: 8,
  maxRetryAfter: 30,
  within: 8,
}

/**
 * Runs `attempt` until it succeeds, fails for a non-transient reason, or the attempts run out.
 * `attempt` must be safe to repeat: refresh repeats with the same token, which the issuer's grace
 * window answers with the same successor (DESIGN §3).
 */
export async function retryTransient<T>(
  attempt: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { policy } = options
  const now = options.now ?? Date.now
  const started = now()
  for (let count = 1; ; count++) {
    try {
      return await attempt()
    } catch (error) {
      const failure = classifyFailure(error)
      if (failure.kind !== 'transient' || count >= policy.attempts) throw error
      const retryAfter = failure.retryAfterMs
      if (retryAfter !== undefined && retryAfter > policy.maxRetryAfter * 1000) throw error
      const waitMs = retryAfter ?? backoff(count, policy)
      if (now() + waitMs - started > policy.within * 1000) throw error
      options.onRetry?.(count, waitMs)
      await options.sleep(waitMs)
    }
  }
}

/** Exponential, capped, with jitter in the upper half so clients that failed together spread out. */
function backoff(count: number, policy: Required<RetryPolicy>): number {
  const ceiling = Math.min(policy.maxDelay, policy.baseDelay * 2 ** (count - 1)) * 1000
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
}
