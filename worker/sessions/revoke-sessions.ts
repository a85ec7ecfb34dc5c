import { ipLimitKey } from '../guard/ip-key.ts'
import { enforceLimit } from '../guard/rate-limited.ts'
import type { Issuer } from '../issuer.ts'
import type { AuditEvent, RevokeReason } from '../store/session-store.ts'
import type { RequestInfo } from './request-info.ts'

/** One session: sign-out, a chosen device (`revoked`), refresh-token reuse, a foreign refresh. */
export type SessionRevocation = {
  reason: 'logout' | 'revoked' | 'reuse' | 'anomaly'
  sessionId: string
  /** Limits the revocation to this user's sessions: anyone else's is not `found`. */
  userId?: string
  /** Limits it to the session holding this refresh token (its hash): otherwise not `found`. */
  tokenHash?: string
  /** The audit row's qualifier (the anomaly seen). */
  detail?: string
}

/** Every session of a user but `keepSessionId`: sign-out everywhere, or a new password. */
export type UserRevocation = {
  reason: 'logout-all' | 'password-change'
  userId: string
  /** The session the request came from, named in the audit row. */
  callerSessionId: string
  keepSessionId?: string
  /** A password change's new hash and the counters it resets, written in the same batch. */
  passwordHash?: string
  clearRateLimitKeys?: readonly string[]
}

/** `revoked`: sessions this call ended; `found`: whether the one session named exists. */
export type RevokeResult = { revoked: number; found: boolean }

/** Each reason's audit event: the trail tells a sign-out from a reuse or an anomaly. */
const AUDIT_EVENT = {
  logout: 'logout',
  revoked: 'session.revoke',
  reuse: 'refresh.reuse',
  anomaly: 'refresh.anomaly',
  'logout-all': 'logout.all',
  'password-change': 'password.change',
} as const satisfies Record<RevokeReason, AuditEvent>

/**
 * The one way sessions end (DESIGN §4): the revocation and its audit row, in one round trip.
 * Every access token of a revoked session fails at its next use. A user's sessions ending also
 * refuses the legacy tokens issued to them before (DESIGN §8).
 */
export async function revokeSessions(
  issuer: Issuer,
  revocation: SessionRevocation | UserRevocation,
  info: RequestInfo,
): Promise<RevokeResult> {
  const now = issuer.now()
  const { reason } = revocation
  const audit = { event: AUDIT_EVENT[reason], at: now, ...info }
  if ('sessionId' in revocation) {
    // Audited only if this call revoked it, with the revoked session's user and id.
    const { sessionId, userId, tokenHash, detail } = revocation
    const result = await issuer.store.revokeSession({
      sessionId,
      userId,
      tokenHash,
      now,
      reason,
      audit: { ...audit, detail },
    })
    return { revoked: result === 'revoked' ? 1 : 0, found: result !== 'not-found' }
  }
  const { userId, callerSessionId, ...rest } = revocation
  const revoked = await issuer.store.revokeUserSessions({
    ...rest,
    userId,
    now,
    audit: { ...audit, userId, sessionId: callerSessionId },
  })
  return { revoked, found: true }
}

/**
 * Counts a revocation a caller asked for (`sessions.revoke`, `/oauth/revoke`) against its IP and
 * throws `RATE_LIMITED` past `RATE_LIMIT_REVOKE_IP`: each costs D1 work, and an unknown token or
 * session costs it too. Sign-out of one's own session, and the revocations Rotor decides on (reuse,
 * anomaly), are never limited.
 */
export async function enforceRevokeLimit(issuer: Issuer, info: RequestInfo): Promise<void> {
  await enforceLimit(issuer, ipLimitKey('revoke', info.ip), issuer.config.rateLimits.revokeIp)
}
