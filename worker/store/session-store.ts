/**
 * Where users, sessions and refresh tokens live. An interface so sessions can shard by user
 * (several D1 databases or Durable Objects) without touching the issuer (DESIGN §10).
 * Times are epoch milliseconds.
 */
export type SessionStore = {
  createUser(user: NewUser, audit: AuditInput): Promise<'created' | 'email-taken'>
  findUserByEmail(email: string): Promise<UserRecord | undefined>
  findUserById(id: string): Promise<UserRecord | undefined>
  /** Session, its first refresh token and the login audit row, in one round trip. */
  createSession(session: NewSession, tokenHash: string, audit: AuditInput): Promise<void>
  /** The compare-and-set rotation and a read of the outcome, in one round trip. */
  rotate(input: RotationInput): Promise<RotationRecord | undefined>
  /** A session with its user's email, whatever its state; the caller judges liveness. */
  findSession(sessionId: string): Promise<SessionWithUser | undefined>
  findSessionByToken(tokenHash: string): Promise<{ sessionId: string; userId: string } | undefined>
  /** Revokes one session; `userId` limits it to that user's sessions. */
  revokeSession(
    input: RevokeInput & { sessionId: string; userId?: string },
  ): Promise<'revoked' | 'already' | 'not-found'>
  /** Revokes every live session of a user except `keepSessionId`; returns how many. */
  revokeUserSessions(
    input: RevokeInput & { userId: string; keepSessionId?: string },
  ): Promise<number>
  /** New password hash and revocation of every other session, atomically. */
  changePassword(
    input: RevokeInput & { userId: string; passwordHash: string; keepSessionId: string },
  ): Promise<number>
  updatePasswordHash(userId: string, passwordHash: string): Promise<void>
  listLiveSessions(userId: string, now: number): Promise<SessionRecord[]>
  recordAudit(audit: AuditInput): Promise<void>
  /** Deletes up to `limit` sessions (and their tokens) that ended before `before`; returns how many. */
  purgeEndedSessions(before: number, limit: number): Promise<number>
}

export type UserRecord = { id: string; email: string; passwordHash: string }
export type NewUser = UserRecord & { createdAt: number }

export type SessionRecord = {
  id: string
  userId: string
  deviceName: string | null
  userAgent: string | null
  createdAt: number
  lastUsedAt: number
  idleExpiresAt: number
  absoluteExpiresAt: number
  revokedAt: number | null
}
export type NewSession = Omit<SessionRecord, 'revokedAt'>
export type SessionWithUser = SessionRecord & { email: string }

export type RotationInput = {
  tokenHash: string
  successorHash: string
  successorBox: string
  now: number
  idleTtlMs: number
  audit: AuditInput
}

/** The presented token's row after the attempt; `won` when this call rotated it. */
export type RotationRecord = {
  won: boolean
  session: SessionWithUser
  usedAt: number | null
  successorBox: string | null
  /** Whether the successor is itself still unused (only an immediate parent gets grace). */
  successorUnused: boolean
}

export type RevokeInput = { now: number; reason: RevokeReason; audit: AuditInput }
export type RevokeReason = 'logout' | 'logout-all' | 'revoked' | 'reuse' | 'password-change'

export type AuditEvent =
  | 'register'
  | 'login.success'
  | 'login.failure'
  | 'refresh'
  | 'refresh.reuse'
  | 'logout'
  | 'session.revoke'
  | 'password.change'

export type AuditInput = {
  event: AuditEvent
  at: number
  userId?: string | null
  sessionId?: string | null
  ip?: string | null
  country?: string | null
  userAgent?: string | null
  detail?: string | null
}
