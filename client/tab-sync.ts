import type { AccessTokenRecord } from './token-state.ts'
import type { Schedule, SignedOutReason } from './types.ts'

/** The part of the Web Locks API (`navigator.locks`) the client uses. */
export type LockManagerLike = {
  request<T>(
    name: string,
    options: { signal?: AbortSignal; steal?: boolean },
    callback: () => Promise<T>,
  ): Promise<T>
}

/** The part of `BroadcastChannel` the client uses. */
export type ChannelLike = {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  close(): void
}

/**
 * Coordination between tabs of one browser, which share the refresh cookie. Each part is taken
 * from the page's globals when not given; tests pass their own.
 */
export type CrossTabOptions = {
  /** @default navigator.locks, when present */
  locks?: LockManagerLike
  /** @default a BroadcastChannel named after the issuer's URL, when present */
  channel?: ChannelLike
  /**
   * Seconds to wait for another tab's refresh before taking the lock from it, so a frozen or
   * suspended tab cannot block the others. @default 15
   */
  lockTimeout?: number
}

/**
 * What tabs tell each other. Never a refresh token: in cookie mode no script ever has one.
 * `confirmed`: the issuer said at `at` (server milliseconds) that the session still lives.
 */
export type TabMessage =
  | { type: 'token'; record: AccessTokenRecord; offsetMs: number }
  | { type: 'signed-out'; reason: SignedOutReason; sessionId: string | undefined }
  | { type: 'confirmed'; sessionId: string; at: number }

/** The cross-tab locks: one for refreshing, one for asking the issuer whether the session lives. */
export type TabLock = 'refresh' | 'check'

export type TabSync = {
  /** Runs `work` while holding a cross-tab lock (or directly, without Web Locks). */
  withLock<T>(work: () => Promise<T>, lock?: TabLock): Promise<T>
  publish(message: TabMessage): void
  subscribe(listener: (message: TabMessage) => void): void
  close(): void
}

// After a refresh (or a check) the lock is kept this long, so its broadcast reaches the waiting
// tabs before one of them acquires the lock and re-checks.
const SETTLE_MS = 50

/**
 * Cross-tab coordination, feature-detected: in Node, React Native and workers there are no tabs,
 * no `document`, and every method falls back to doing nothing across tabs.
 */
export function createTabSync(
  options: CrossTabOptions | false,
  name: string,
  timers: { schedule: Schedule; sleep: (ms: number) => Promise<void> },
): TabSync {
  const locks = options === false ? undefined : (options.locks ?? pageGlobals()?.locks)
  const channel = options === false ? undefined : (options.channel ?? openChannel(name))
  const lockTimeoutMs = ((options !== false && options.lockTimeout) || 15) * 1000

  const hold = <T>(
    lockName: string,
    lockOptions: { signal?: AbortSignal; steal?: boolean },
    work: () => Promise<T>,
  ) =>
    new Promise<T>((resolve, reject) => {
      locks!
        .request(lockName, lockOptions, async () => {
          try {
            resolve(await work())
          } catch (error) {
            reject(error)
          }
          await timers.sleep(SETTLE_MS)
        })
        .catch(reject)
    })

  return {
    async withLock(work, lock = 'refresh') {
      if (!locks) return work()
      // Two names: a check that needs a refresh takes the refresh lock inside the check lock.
      const lockName = lock === 'refresh' ? name : `${name}:${lock}`
      const controller = new AbortController()
      const cancel = timers.schedule(() => controller.abort(), lockTimeoutMs)
      try {
        return await hold(lockName, { signal: controller.signal }, () => (cancel(), work()))
      } catch (error) {
        if (!controller.signal.aborted) throw error
        return hold(lockName, { steal: true }, work)
      } finally {
        cancel()
      }
    },
    publish: (message) => channel?.postMessage(message),
    subscribe(listener) {
      channel?.addEventListener('message', ({ data }) => {
        if (isTabMessage(data)) listener(data)
      })
    },
    close: () => channel?.close(),
  }
}

type PageGlobals = {
  locks: LockManagerLike | undefined
  Channel: (new (name: string) => ChannelLike) | undefined
}

/** The page's Web Locks and BroadcastChannel, only in a browser document: Node has a
 * process-wide BroadcastChannel that would join unrelated clients and keep the process alive. */
function pageGlobals(): PageGlobals | undefined {
  const scope = globalThis as {
    document?: unknown
    navigator?: { locks?: LockManagerLike }
    BroadcastChannel?: new (name: string) => ChannelLike
  }
  if (scope.document === undefined) return undefined
  return { locks: scope.navigator?.locks, Channel: scope.BroadcastChannel }
}

function openChannel(name: string): ChannelLike | undefined {
  const Channel = pageGlobals()?.Channel
  return Channel ? new Channel(name) : undefined
}

function isTabMessage(data: unknown): data is TabMessage {
  if (typeof data !== 'object' || data === null) return false
  const message = data as Partial<TabMessage>
  if (message.type === 'signed-out') return typeof message.reason === 'string'
  if (message.type === 'confirmed') {
    const { sessionId, at } = message as Partial<Extract<TabMessage, { type: 'confirmed' }>>
    return typeof sessionId === 'string' && Number.isFinite(at)
  }
  if (message.type !== 'token') return false
  const { record, offsetMs } = message as Partial<Extract<TabMessage, { type: 'token' }>>
  return typeof offsetMs === 'number' && typeof record?.accessToken === 'string'
}
