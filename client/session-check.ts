import type { AppLifecycle } from './lifecycle.ts'
import type { ServerClock } from './server-clock.ts'
import type { TabMessage, TabSync } from './tab-sync.ts'
import type { AccessTokenRecord, SessionWatcher } from './token-state.ts'

export type SessionCheckOptions = {
  clock: ServerClock
  lifecycle: AppLifecycle
  tabs: TabSync
  /** Milliseconds; see `RotorClientOptions.foregroundCheckAfter`. */
  afterMs: number
  /**
   * Asks the issuer whether the session lives: `true` when it does. A session-ending answer ends
   * the session on the way (the auth link's `recover`) and gives `false`; a passing failure throws.
   */
  check: () => Promise<boolean>
}

/**
 * Notices a session ended elsewhere (sign-out everywhere, a revoked device, reuse detected, a new
 * password) when the app returns to the foreground, not one access-token lifetime later: if the
 * issuer last vouched for the session more than `afterMs` ago, it is asked once (issue 15 §5).
 * The issuer vouches with every token it issues (`iat`) and every check; across tabs, one tab
 * checks under a lock and tells the others, which then have nothing to ask. Only the issuer's
 * definitive answer ends the session: offline, 5xx and timeouts leave it as it was.
 */
export function createSessionCheck(options: SessionCheckOptions): SessionWatcher {
  const { clock, lifecycle, tabs, afterMs, check } = options
  let record: AccessTokenRecord | undefined
  // Server milliseconds: the last moment the issuer is known to have found the session live.
  let confirmedAt = 0
  let inflight: Promise<void> | undefined
  let unsubscribe: (() => void) | undefined

  const isStale = () => record !== undefined && clock.now() - confirmedAt >= afterMs

  const confirm = (sessionId: string, at: number) => {
    if (record?.sessionId === sessionId) confirmedAt = Math.max(confirmedAt, at)
  }

  const run = () =>
    tabs.withLock(async () => {
      // Re-checked under the lock: the tab that held it may have checked for this one.
      if (!isStale()) return
      const sessionId = record!.sessionId
      // Taken before asking: the session was live at some moment after this.
      const askedAt = clock.now()
      if (!(await check())) return
      confirm(sessionId, askedAt)
      tabs.publish({ type: 'confirmed', sessionId, at: askedAt })
    }, 'check')

  const onChange = () => {
    if (inflight || !lifecycle.isActive() || !isStale()) return
    inflight = run()
      // A passing failure keeps the session; the next return to the foreground asks again.
      .catch(() => undefined)
      .finally(() => {
        inflight = undefined
      })
  }

  tabs.subscribe((message: TabMessage) => {
    if (message.type === 'confirmed') confirm(message.sessionId, message.at)
  })

  return {
    watch(next) {
      if (next.sessionId !== record?.sessionId) confirmedAt = 0
      record = next
      confirm(next.sessionId, next.issuedAt * 1000)
      unsubscribe ??= lifecycle.subscribe(onChange)
    },
    stop() {
      record = undefined
      confirmedAt = 0
      unsubscribe?.()
      unsubscribe = undefined
    },
  }
}
