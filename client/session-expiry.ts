import type { ServerClock } from './server-clock.ts'
import type { SessionWatcher } from './token-state.ts'
import type { SessionExpiringEvent } from './events.ts'
import type { Schedule } from './types.ts'

export type SessionExpiryOptions = {
  clock: ServerClock
  schedule: Schedule
  /** Seconds before the session's end at which to warn. */
  warning: number
  onExpiring: (event: SessionExpiringEvent) => void
}

/**
 * Warns once per deadline that the session is about to end. Refresh slides the idle deadline, so
 * an active user is warned only when the absolute lifetime runs out (each refresh then returns the
 * same capped deadline, hence one warning per deadline, not per refresh).
 */
export function createSessionExpiry(options: SessionExpiryOptions): SessionWatcher {
  const { clock, schedule, warning, onExpiring } = options
  let cancel: (() => void) | undefined
  let warnedFor: number | undefined

  const stop = () => {
    cancel?.()
    cancel = undefined
  }

  const check = (expiresAt: number) => {
    cancel = undefined
    if (warnedFor === expiresAt) return
    const now = clock.now()
    const warnAt = (expiresAt - warning) * 1000
    // The device clock may have jumped while the timer waited: re-check against server time.
    if (now < warnAt) {
      cancel = schedule(() => check(expiresAt), warnAt - now)
      return
    }
    warnedFor = expiresAt
    onExpiring({ expiresAt, secondsLeft: Math.max(0, Math.round(expiresAt - now / 1000)) })
  }

  return {
    watch(record) {
      stop()
      check(record.refreshTokenExpiresAt)
    },
    stop,
  }
}
