import { RotorError } from '../../contract/index.ts'
import type { Config } from '../config/config.ts'
import type { SessionRecord } from '../store/session-store.ts'

/**
 * The client a new session is started for: the one the sign-in names, which must be listed in
 * `CLIENT_IDS` (`INVALID_INPUT` otherwise), or the default. Checked before any credential is.
 */
export function chooseClientId(config: Config, requested: string | undefined): string {
  if (requested === undefined) return config.clientIds.default
  if (!config.clientIds.ids.includes(requested)) {
    // The list names first-party apps, nothing secret: saying it helps whoever mistyped one.
    const known = config.clientIds.ids.join(', ')
    throw new RotorError('INVALID_INPUT', `Unknown clientId: it must be one of ${known}`)
  }
  return requested
}

/** A session's client, unchanged for its whole life; sessions from before it was kept get the default. */
export function clientIdOf(config: Config, session: Pick<SessionRecord, 'clientId'>): string {
  return session.clientId ?? config.clientIds.default
}
