import { RotorError } from '../../contract/index.ts'
import { detectAnomaly } from '../guard/anomaly.ts'
import { revokeSessions } from './revoke-sessions.ts'
import type { Issuer } from '../issuer.ts'
import type { SessionRecord } from '../store/session-store.ts'
import type { RequestInfo } from './request-info.ts'

/**
 * On a refresh that looks foreign, flags the session once (audit row included), or with
 * `ANOMALY_POLICY=reauth` ends it so the user signs in again. The extra write happens only then.
 */
export async function applyAnomalyPolicy(
  issuer: Issuer,
  session: SessionRecord,
  info: RequestInfo,
  now: number,
): Promise<void> {
  const anomaly = detectAnomaly(session, info)
  if (!anomaly) return
  if (issuer.config.anomalyPolicy === 'reauth') {
    await revokeSessions(
      issuer,
      { reason: 'anomaly', sessionId: session.id, detail: anomaly },
      info,
    )
    throw new RotorError('SESSION_REVOKED', 'This session was used from a new place; sign in again')
  }
  if (session.flaggedAt === null) {
    const audit = {
      event: 'refresh.anomaly',
      at: now,
      userId: session.userId,
      sessionId: session.id,
      detail: anomaly,
      ...info,
    } as const
    await issuer.store.flagSession({ sessionId: session.id, now, reason: anomaly, audit })
  }
}
