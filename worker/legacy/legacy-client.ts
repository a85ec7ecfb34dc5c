import { APP_VERSION_HEADER } from '../../contract/index.ts'

import type { LegacyClient } from '../store/session-store.ts'

export type { LegacyClient }

// Bounded so a client cannot grow the usage table's keys; enough to tell app builds apart.
const MAX_USER_AGENT = 128
const MAX_APP_VERSION = 32

export function readLegacyClient(headers: Headers): LegacyClient {
  return {
    userAgent: (headers.get('user-agent') ?? '').trim().slice(0, MAX_USER_AGENT),
    appVersion: (headers.get(APP_VERSION_HEADER) ?? '').trim().slice(0, MAX_APP_VERSION),
  }
}
