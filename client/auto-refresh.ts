import { classifyFailure } from './failure.ts'
import type { AppLifecycle } from './lifecycle.ts'
import type { ServerClock } from './server-clock.ts'
import type { AccessTokenRecord, SessionWatcher } from './token-state.ts'
import type { Schedule } from './types.ts'

export type AutoRefreshOptions = {
  clock: ServerClock
  schedule: Schedule
  lifecycle: AppLifecycle
  /** Refreshes when the token needs it; resolves once a new one is adopted or the session ended. */
  refresh: () => Promise<unknown>
}

// After a background refresh failed for a passing reason (offline, 5xx): try again this much
// later, or at once when the app returns to the foreground or the network comes back.
const RETRY_LATER_MS = 15_000

/**
 * Refreshes in the background when the token reaches its `refreshAt`, so an idle page keeps a
 * valid token and learns at once when its session was ended elsewhere (the refresh fails with the
 * definitive reason, and the session emits `signedOut`). Paused while the app is in the
 * background; on its return, on focus and on network return it catches up.
 */
export function createAutoRefresh(options: AutoRefreshOptions): SessionWatcher {
  const { clock, schedule, lifecycle, refresh } = options
  let record: AccessTokenRecord | undefined
  // The token's expiry is the session's end: refreshing early would only fetch it again.
  let capped = false
  let cancelTimer: (() => void) | undefined
  let unsubscribe: (() => void) | undefined
  let running = false
  // Server milliseconds: our own back-off (a change cuts it short), and the server's Retry-After.
  let backoffUntil = 0
  let serverWaitUntil = 0

  // A token capped by the session's end is refreshed only at expiry: that refresh ends the session
  // on time instead of fetching the same deadline again and again.
  const dueAt = (current: AccessTokenRecord) =>
    (capped || current.dueOnArrival ? current.accessTokenExpiresAt : current.refreshAt) * 1000

  const arm = () => {
    cancelTimer?.()
    cancelTimer = undefined
    if (record === undefined || running) return
    const wait = Math.max(dueAt(record), backoffUntil, serverWaitUntil) - clock.now()
    // Re-checked when the timer fires: the device clock may have jumped meanwhile.
    if (wait > 0) cancelTimer = schedule(arm, wait)
    else if (lifecycle.isActive()) void run(record)
  }

  const run = async (before: AccessTokenRecord) => {
    running = true
    let retryAfterMs = 0
    try {
      await refresh()
    } catch (error) {
      retryAfterMs = classifyFailure(error).retryAfterMs ?? 0
    } finally {
      running = false
    }
    // No new token came (a passing failure): wait before trying again, never spin.
    if (record === before) {
      backoffUntil = clock.now() + RETRY_LATER_MS
      serverWaitUntil = clock.now() + retryAfterMs
    }
    arm()
  }

  const onChange = () => {
    backoffUntil = 0
    arm()
  }

  return {
    watch(next) {
      capped =
        next.sessionId === record?.sessionId &&
        next.accessTokenExpiresAt === record.accessTokenExpiresAt
      record = next
      backoffUntil = 0
      serverWaitUntil = 0
      unsubscribe ??= lifecycle.subscribe(onChange)
      arm()
    },
    stop() {
      record = undefined
      cancelTimer?.()
      cancelTimer = undefined
      unsubscribe?.()
      unsubscribe = undefined
    },
  }
}
