import { RotorError } from '../../contract/index.ts'
import type { SessionRecord } from '../store/session-store.ts'

/** Throws `SESSION_REVOKED` or `SESSION_EXPIRED` unless the session is live at `now` (ms). */
export function assertSessionLive(session: SessionRecord, now: number): void {
  if (session.revokedAt !== null)
    throw new RotorError('SESSION_REVOKED', 'This session has been signed out')
  if (session.absoluteExpiresAt <= now || session.idleExpiresAt <= now) {
    throw new RotorError('SESSION_EXPIRED', 'This session has expired; sign in again')
  }
}
