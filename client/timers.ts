import type { Schedule } from './types.ts'

// setTimeout fires at once for delays past 2^31 - 1 ms (about 24.8 days): wait in steps instead.
const LONGEST_TIMEOUT = 2 ** 31 - 1

/**
 * Background timers on the platform's `setTimeout`. In Node they are unref'd, so a pending
 * "session expiring" reminder never keeps a CLI alive after its work is done.
 */
export const backgroundSchedule: Schedule = (callback, ms) => {
  let handle: unknown
  let cancelled = false
  const arm = (remaining: number) => {
    const step = Math.min(Math.max(0, remaining), LONGEST_TIMEOUT)
    handle = setTimeout(() => {
      if (cancelled) return
      if (remaining > step) arm(remaining - step)
      else callback()
    }, step)
    ;(handle as { unref?: () => void }).unref?.()
  }
  arm(ms)
  return () => {
    cancelled = true
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  }
}

/** A wait someone is awaiting: kept referenced, so Node stays up until the retry has run. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * An `AbortSignal` that aborts after `ms`, on the given schedule (not `AbortSignal.timeout`,
 * which React Native lacks and tests cannot drive). `done` cancels the timer.
 */
export function timeoutSignal(
  schedule: Schedule,
  ms: number,
): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController()
  const cancel = schedule(() => controller.abort(new TimeoutError(ms)), ms)
  return { signal: controller.signal, done: cancel }
}

/** The reason a timed-out request was aborted; a transient failure like any lost response. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError'
  constructor(ms: number) {
    super(`No response within ${ms} ms`)
  }
}
