import { createSessionExpiry } from './session-expiry.ts'
import { claimsOf, toAccessTokenRecord, toSnapshot } from './token-state.ts'
import type { Emitter, RotorEvents } from './events.ts'
import type { RequestTiming, ServerClock } from './server-clock.ts'
import type { TokenStorage } from './storage.ts'
import type { TabMessage, TabSync } from './tab-sync.ts'
import type { AccessTokenRecord, SessionWatcher, TokenState } from './token-state.ts'
import type { Delivery, Schedule, SignedOutReason, TokenPair } from './types.ts'

export type SessionOptions = {
  delivery: Delivery
  storage: TokenStorage
  storageKey: string
  clock: ServerClock
  events: Emitter<RotorEvents>
  tabs: TabSync
  schedule: Schedule
  /** Seconds; see `RotorClientOptions.refreshMargin`. */
  refreshMargin: number
  /** Seconds; see `RotorClientOptions.sessionWarning`. */
  sessionWarning: number
  /** Told of every token the session adopts, and when it ends. */
  watchers?: SessionWatcher[]
}

export type EndOptions = {
  /** End only if this is still the current session: a stale call's failure ends nothing. */
  sessionId?: string | undefined
  /** Tell the other tabs. False when the news came from one of them. */
  broadcast: boolean
}

/** The one place the client's session state changes. */
export type Session = {
  state(): Readonly<TokenState>
  /** Increases on every sign-in and sign-out: a refresh begun before one must not undo it. */
  epoch(): number
  /** Adopts a new pair from login or refresh; body mode stores the new refresh token first. */
  accept(
    pair: TokenPair,
    timing: RequestTiming,
    kind: 'login' | 'refresh',
  ): Promise<AccessTokenRecord>
  /** Ends the session locally, once: the first caller emits `signedOut`, later ones do nothing. */
  end(reason: SignedOutReason, options: EndOptions): Promise<void>
  readRefreshToken(): Promise<string | undefined>
  close(): void
}

export function createSession(options: SessionOptions): Session {
  const { delivery, storage, storageKey, clock, events, tabs } = options
  let state: TokenState = { status: 'unknown', record: undefined }
  let epoch = 0
  const expiry = createSessionExpiry({
    clock,
    schedule: options.schedule,
    warning: options.sessionWarning,
    onExpiring: (event) => events.emit('sessionExpiring', event),
  })
  const watchers = [expiry, ...(options.watchers ?? [])]
  const stopWatching = () => watchers.forEach((watcher) => watcher.stop())

  const adopt = (record: AccessTokenRecord) => {
    state = { status: 'signed-in', record }
    for (const watcher of watchers) watcher.watch(record)
  }

  const end: Session['end'] = async (reason, { sessionId, broadcast }) => {
    const previous = state
    if (previous.status === 'signed-out') return
    if (sessionId !== undefined && previous.record && previous.record.sessionId !== sessionId)
      return
    // Synchronously, before any await: concurrent failures of one session emit one event.
    state = { status: 'signed-out', record: undefined }
    epoch++
    stopWatching()
    if (broadcast)
      tabs.publish({ type: 'signed-out', reason, sessionId: previous.record?.sessionId })
    // A cookie-mode start with no cookie is not a sign-out: there was no session to lose.
    if (previous.status === 'signed-in' || reason !== 'TOKEN_MISSING') {
      events.emit('signedOut', reason)
    }
    if (delivery === 'body') await storage.delete(storageKey)
  }

  const onTabMessage = (message: TabMessage) => {
    // Another tab's check changes nothing here; the session check follows those.
    if (message.type === 'confirmed') return
    const current = state.record
    // In body mode tabs do not share a refresh token, so only news of the same session counts.
    const sameSession =
      delivery === 'cookie' ||
      current === undefined ||
      current.sessionId ===
        (message.type === 'token' ? message.record.sessionId : message.sessionId)
    if (!sameSession) return
    if (message.type === 'signed-out') return void end(message.reason, { broadcast: false })
    const { record, offsetMs } = message
    if (current && current.accessToken === record.accessToken) return
    if (current && current.sessionId === record.sessionId && current.issuedAt > record.issuedAt)
      return
    if (state.status !== 'signed-in') epoch++
    clock.adopt(offsetMs)
    adopt(record)
    events.emit('refresh', { ...toSnapshot(record), origin: 'other-tab' })
  }
  tabs.subscribe(onTabMessage)

  return {
    state: () => state,
    epoch: () => epoch,
    async accept(pair, timing, kind) {
      const { issuedAt } = claimsOf(pair.accessToken)
      if (issuedAt !== undefined) clock.observeSeconds(issuedAt, timing)
      const record = toAccessTokenRecord(pair, issuedAt, clock.now(), options.refreshMargin)
      if (delivery === 'body' && pair.refreshToken !== undefined) {
        await storage.set(storageKey, pair.refreshToken)
      }
      if (kind === 'login') epoch++
      adopt(record)
      tabs.publish({ type: 'token', record, offsetMs: clock.offset() })
      if (kind === 'refresh') events.emit('refresh', { ...toSnapshot(record), origin: 'this-tab' })
      return record
    },
    end,
    async readRefreshToken() {
      if (delivery === 'cookie') return undefined
      return (await storage.get(storageKey)) ?? undefined
    },
    close() {
      stopWatching()
      tabs.close()
    },
  }
}
