import { DEFAULT_RETRY_POLICY } from './retry.ts'
import { backgroundSchedule, sleep } from './timers.ts'
import type { AppLifecycle } from './lifecycle.ts'
import type { RetryPolicy } from './retry.ts'
import type { TokenStorage } from './storage.ts'
import type { CrossTabOptions } from './tab-sync.ts'
import type { Delivery, FetchLike, Schedule } from './types.ts'

/** Options of `createRotorClient`. Durations in seconds, device time in milliseconds. */
export type RotorClientOptions = {
  /** The issuer's tRPC endpoint. @example 'https://auth.example.com/trpc' */
  url: string
  /**
   * `'cookie'` for browsers: the refresh token stays in an HttpOnly cookie and the access token in
   * memory. `'body'` elsewhere: the refresh token goes to `storage`.
   */
  delivery: Delivery
  /** Body mode: where the refresh token is kept. @default memory, lost when the process ends */
  storage?: TokenStorage
  /** The key the refresh token is stored under. @default 'rotor.refresh-token' */
  storageKey?: string
  /** @default globalThis.fetch */
  fetch?: FetchLike
  /** Device time in milliseconds; timing decisions correct it by the server clock. @default Date.now */
  now?: () => number
  /**
   * How long before the access token's expiry a call refreshes it first, never more than half
   * the token's lifetime. @default 60
   */
  refreshMargin?: number
  /**
   * Refresh in the background when the token reaches `refreshMargin` before expiry, while the app
   * is in the foreground (see `lifecycle`), catching up when it returns or the network does; a
   * session ended elsewhere then shows as `onSignedOut` without waiting for a call. `false`
   * refreshes only when a call needs a token. @default true
   */
  autoRefresh?: boolean
  /**
   * On return to the foreground (see `lifecycle`), ask the issuer whether the session still lives
   * when its last word on it is older than this, so a session ended elsewhere (sign-out everywhere,
   * a revoked device, a new password) shows as `onSignedOut` at once rather than at the next
   * refresh. The ask is `auth.me`: one read at the issuer, nothing written; a token due for
   * refresh is refreshed instead. Its last word: every token it issues, every such ask, in any tab.
   * Offline or a failing issuer never signs out. `false` never asks. @default 30
   */
  foregroundCheckAfter?: number | false
  /**
   * When the app is in the foreground, for `autoRefresh` and `foregroundCheckAfter`; React Native
   * passes one over `AppState`.
   * @default a browser page's visibility, focus and `online` events; elsewhere always active
   */
  lifecycle?: AppLifecycle
  /** How long before the session's end `onSessionExpiring` fires. @default 300 */
  sessionWarning?: number
  /** A device clock further off the server's than this fires `onClockSkew`. @default 60 */
  skewWarning?: number
  /**
   * How long a sign-in, refresh or sign-out request may take before it counts as lost; short
   * enough that a retry of a lost refresh still lands in the issuer's 10 s grace window. @default 4
   */
  requestTimeout?: number
  /** Retries of refresh and sign-out after network errors, timeouts, 5xx and 429. */
  retry?: RetryPolicy
  /**
   * Coordination between browser tabs, or `false` for none.
   * @default Web Locks and BroadcastChannel, in a browser page and cookie mode; none elsewhere
   */
  crossTab?: CrossTabOptions | false
  /** Background timers (auto-refresh, the session-expiry reminder). @default setTimeout, unref'd in Node */
  schedule?: Schedule
  /** Waits between retries. @default setTimeout */
  sleep?: (ms: number) => Promise<void>
  /**
   * Moving off never-expiring JWTs: the app's legacy token, if it still holds one. When the client
   * finds no session of its own, it trades this token for one (`auth.exchangeLegacy`) once, by
   * itself; afterwards the app can delete the legacy token. Not retained by the client.
   */
  legacyToken?: () => string | undefined | Promise<string | undefined>
}

export type ResolvedOptions = Required<
  Omit<RotorClientOptions, 'storage' | 'fetch' | 'crossTab' | 'legacyToken' | 'lifecycle'>
> & {
  retry: Required<RetryPolicy>
  crossTab: CrossTabOptions | false
}

const DEFAULTS = {
  now: () => Date.now(),
  schedule: backgroundSchedule,
  sleep,
  storageKey: 'rotor.refresh-token',
  refreshMargin: 60,
  autoRefresh: true,
  sessionWarning: 300,
  skewWarning: 60,
  requestTimeout: 4,
  foregroundCheckAfter: 30 as number | false,
}

/** Fills in the defaults and rejects a bad value once, at construction, naming the option. */
export function resolveOptions(options: RotorClientOptions): ResolvedOptions {
  if (typeof options.url !== 'string' || !/^https?:\/\//.test(options.url))
    throw new TypeError('createRotorClient: `url` must be an http(s) URL of the tRPC endpoint')
  if (options.delivery !== 'cookie' && options.delivery !== 'body')
    throw new TypeError("createRotorClient: `delivery` must be 'cookie' or 'body'")
  const resolved = {
    ...DEFAULTS,
    ...definedOnly(options),
    url: options.url.replace(/\/+$/, ''),
    delivery: options.delivery,
    retry: { ...DEFAULT_RETRY_POLICY, ...definedOnly(options.retry ?? {}) },
    crossTab: options.crossTab ?? (options.delivery === 'cookie' ? {} : false),
  }
  for (const name of [
    'refreshMargin',
    'sessionWarning',
    'skewWarning',
    'requestTimeout',
  ] as const) {
    if (!(resolved[name] >= 0))
      throw new TypeError(`createRotorClient: \`${name}\` must be >= 0 seconds`)
  }
  const { foregroundCheckAfter } = resolved
  if (foregroundCheckAfter !== false && !(foregroundCheckAfter >= 0))
    throw new TypeError('createRotorClient: `foregroundCheckAfter` must be >= 0 seconds or false')
  if (!(resolved.retry.attempts >= 1))
    throw new TypeError('createRotorClient: `retry.attempts` must be at least 1')
  return resolved
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
