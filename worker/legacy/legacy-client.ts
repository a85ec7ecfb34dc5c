import type { LegacyClient } from '../store/session-store.ts'

export type { LegacyClient }

// Bounded so a client cannot grow the usage table's keys; enough to tell app builds apart.
const MAX_USER_AGENT = 128
const MAX_APP_VERSION = 32

/** The client a legacy token came from, by its `User-Agent` and app-version headers' values. */
export function legacyClient(userAgent: string | null, appVersion: string | null): LegacyClient {
  return {
    userAgent: (userAgent ?? '').trim().slice(0, MAX_USER_AGENT),
    appVersion: (appVersion ?? '').trim().slice(0, MAX_APP_VERSION),
  }
}
