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
    throw new RotorError('INVALID_INPUT', 'Unknown clientId: it must be one of CLIENT_IDS')
  }
  return requested
}

/** A session's client, unchanged for its whole life; sessions from before it was kept get the default. */
export function clientIdOf(config: Config, session: Pick<SessionRecord, 'clientId'>): string {
  return session.clientId ?? config.clientIds.default
}
