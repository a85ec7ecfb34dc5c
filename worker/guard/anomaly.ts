import { RotorError } from '../../contract/index.ts'
import type { Issuer } from '../issuer.ts'
import type { SessionRecord } from '../store/session-store.ts'
import type { RequestInfo } from '../sessions/request-info.ts'

export type Anomaly = 'new-country' | 'new-user-agent'

/**
 * A refresh that does not look like the session's origin: another country, or another browser or
 * app. Version numbers are ignored so that an ordinary update does not count.
 */
export function detectAnomaly(session: SessionRecord, info: RequestInfo): Anomaly | undefined {
  if (session.country && info.country && session.country !== info.country) return 'new-country'
  if (session.userAgent && info.userAgent && family(session.userAgent) !== family(info.userAgent)) {
    return 'new-user-agent'
  }
  return undefined
}

function family(userAgent: string): string {
  return userAgent
    .replace(/[\d._]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}

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
  const audit = {
    event: 'refresh.anomaly',
    at: now,
    userId: session.userId,
    sessionId: session.id,
    detail: anomaly,
    ...info,
  } as const
  if (issuer.config.anomalyPolicy === 'reauth') {
    await issuer.store.revokeSession({ sessionId: session.id, now, reason: 'anomaly', audit })
    throw new RotorError('SESSION_REVOKED', 'This session was used from a new place; sign in again')
  }
  if (session.flaggedAt === null) {
    await issuer.store.flagSession({ sessionId: session.id, now, reason: anomaly, audit })
  }
}
