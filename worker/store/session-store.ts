import type { auditEvents, rateLimits, sessions, users } from '../../db/schema.ts'
import type { LegacyReport, LegacyReportRange } from './legacy-report-sql.ts'
export type { LegacyReport, LegacyReportRange }

/**
 * Where users, sessions, refresh tokens, counters, the audit trail and legacy usage live: every
 * query the issuer makes goes through this. An interface so sessions can shard by user (several
 * D1 databases or Durable Objects) without touching the issuer (DESIGN §10). Times are epoch
 * milliseconds.
 */
export type SessionStore = {
  createUser(user: NewUser, audit: AuditInput): Promise<'created' | 'email-taken'>
  findUserByEmail(email: string): Promise<UserRecord | undefined>
  findUserById(id: string): Promise<UserRecord | undefined>
  /** The user another system's account (an OpenID provider's `sub`) is linked to. */
  findUserByIdentity(identity: Identity): Promise<UserRecord | undefined>
  /**
   * A new user linked to `identity`, with its audit row, in one round trip; nothing is written
   * when the email (or id) is taken. Throws when the identity was linked meanwhile.
   */
  createUserWithIdentity(
    user: NewUser & { emailVerified: boolean },
    identity: Identity,
    audit: AuditInput,
  ): Promise<'created' | 'email-taken'>
  /**
   * Session, its first refresh token, the login audit row, counter resets and, when given, the
   * user's new password hash (a foreign or outdated one upgraded at sign-in), in one round trip.
   * With `credentialsSeen` (the user's `credentialsChangedAt` as the password check read it), a
   * session whose user's credentials changed since — a reset or sign-out everywhere racing this
   * sign-in — is revoked in the same batch (no upgrade written) and the call answers `stale`.
   * The session gets its revocation-feed index in the same statement that inserts it: one more
   * than the greatest in use (README: Revocation feed).
   */
  createSession(
    session: NewSession,
    tokenHash: string,
    audit: AuditInput,
    clearRateLimitKeys?: readonly string[],
    passwordHash?: string,
    credentialsSeen?: number | null,
  ): Promise<CreatedSession | 'stale'>
  /**
   * Sign-in's first round trip: the IP's and the account's attempt counters hit, the account's
   * failure counter read, the user.
   */
  beginLogin(input: BeginLoginInput): Promise<BeginLoginRecord>
  /** Gives back a refused attempt's count. */
  refundLoginAttempt(attemptKey: string): Promise<void>
  /** A failed sign-in: the account's failure counter and the audit row, in one round trip. */
  recordLoginFailure(
    input: { failKey: string; now: number; windowMs: number },
    audit: AuditInput,
  ): Promise<void>
  /** Counts one event against `key` in a fixed window; returns the counter after it. */
  hitRateLimit(key: string, now: number, windowMs: number): Promise<Counter>
  /** Marks a session as refreshed from somewhere unexpected, with an audit row. */
  flagSession(input: {
    sessionId: string
    now: number
    reason: string
    audit: AuditInput
  }): Promise<void>
  /** The `detail` of the newest audit row of `event` (any user), or `null` when there is none. */
  lastAuditDetail(event: AuditEvent): Promise<string | null>
  /** A user's most recent security events, newest first. */
  listAudit(userId: string, limit: number): Promise<AuditRecord[]>
  /** Deletes audit rows older than `before` and counters idle since `countersBefore`, bounded. */
  purgeGuardRows(input: {
    auditBefore: number
    countersBefore: number
    limit: number
  }): Promise<number>
  /**
   * The compare-and-set rotation and a read of the outcome, in one round trip; an unknown token
   * is counted against `unknownTokenLimit.key` in the same round trip instead.
   */
  rotate(input: RotationInput): Promise<RotationRecord | UnknownTokenRecord>
  /** A session with its user's email, whatever its state; the caller judges liveness. */
  findSession(sessionId: string): Promise<SessionWithUser | undefined>
  findSessionByToken(tokenHash: string): Promise<{ sessionId: string; userId: string } | undefined>
  /**
   * Revokes one session (`userId` limits it to that user's; `tokenHash` to the session that
   * refresh token, used or not, belongs to), with the audit row only when this call revoked it;
   * the row's user and session are the revoked session's. One round trip.
   */
  revokeSession(
    input: RevokeInput & { sessionId: string; userId?: string; tokenHash?: string },
  ): Promise<'revoked' | 'already' | 'not-found'>
  /**
   * Revokes every live session of a user except `keepSessionId` and marks the user's credentials
   * changed (legacy tokens issued before are refused), with the new password hash and counter
   * resets when given, and the audit row, in one round trip. Returns how many were revoked.
   */
  revokeUserSessions(
    input: RevokeInput & {
      userId: string
      keepSessionId?: string
      passwordHash?: string
      clearRateLimitKeys?: readonly string[]
    },
  ): Promise<number>
  updatePasswordHash(userId: string, passwordHash: string): Promise<void>
  /**
   * Lazy migration's one write, with the `user.migrated` audit row, in one round trip: creates
   * the user the upstream vouched for (`fill: false`), or gives a user without a password
   * (`NO_PASSWORD`) with that id and email their first hash (`fill: true`). Writes nothing
   * unless it can write exactly that.
   */
  migrateUser(input: MigrateUserInput): Promise<MigrateUserOutcome>
  listLiveSessions(userId: string, now: number): Promise<SessionRecord[]>
  recordAudit(audit: AuditInput): Promise<void>
  /** Deletes up to `limit` sessions (and their tokens) that ended before `before`; returns how many. */
  purgeEndedSessions(before: number, limit: number): Promise<number>
  /** Counts a legacy-token use the phase refused: one upsert. */
  recordLegacyRefusal(use: LegacyUse): Promise<void>
  /**
   * Counts an accepted legacy-token use (and an exchange, when `exchange`) and reads its user in
   * the same round trip — the read the legacy path needs anyway, so counting adds no D1 round
   * trip. A `sub` naming no user, or a user whose credentials changed after the token's `iat`,
   * counts as refused (decided inside the same statement) and reads as `undefined`.
   */
  recordLegacyUse(
    use: LegacyUse,
    exchange: boolean,
  ): Promise<{ id: string; email: string } | undefined>
  /** Deletes up to `limit` legacy-usage rows of UTC days before the day of `before`. */
  purgeLegacyUsage(before: number, limit: number): Promise<number>
  /** The legacy report's table and totals over a range of days, in one round trip. */
  legacyReport(range: LegacyReportRange): Promise<LegacyReport>
  /**
   * Creates or updates imported users, idempotently: one outcome per row, in order. Rows go in
   * batches of `IMPORT_BATCH_ROWS`, each one read and one atomic write with its audit row, so a
   * run cut short and run again ends where an uninterrupted one does. An existing user's email,
   * `email_verified` and password hash may change; a hash `keepsHash` says is the user's own is
   * never replaced; an email another user holds refuses the row.
   */
  importUsers(rows: readonly ImportUser[], options: ImportOptions): Promise<ImportOutcome[]>
  /**
   * The revocation feed's content in one round trip: the feed index of every session revoked at
   * or after `revokedSince` (ms, inclusive), and the feed's sequence number.
   */
  readRevocationFeed(revokedSince: number): Promise<RevocationFeedRecord>
}

/** A session `createSession` wrote, with the feed index it was given. */
export type CreatedSession = { statusIdx: number }

/** What the feed is built from; `indexes` in no particular order. */
export type RevocationFeedRecord = { seq: number; indexes: number[] }

/** One validated import line. Absent fields leave an existing user's value as it is. */
export type ImportUser = Pick<UserRow, 'id' | 'email' | 'createdAt'> & {
  passwordHash?: string
  emailVerified?: boolean
}
export type ImportOptions = {
  /** Whether a stored hash is the user's own (set here) rather than an imported one. */
  keepsHash: (stored: string) => boolean
  /** The hash a user imported without one gets (`NO_PASSWORD`). */
  noPassword: string
  /** Every batch's audit row (event `users.import`) takes these; its detail is the counts. */
  audit: Omit<AuditInput, 'event' | 'detail' | 'userId' | 'sessionId'>
}
export type ImportOutcome =
  { outcome: 'imported' | 'updated' | 'skipped' } | { outcome: 'refused'; reason: string }

type UserRow = typeof users.$inferSelect
type SessionRow = typeof sessions.$inferSelect

/** `emailVerified` and `credentialsChangedAt` where the read selected them (sign-in's does). */
export type UserRecord = Pick<UserRow, 'id' | 'email' | 'passwordHash'> &
  Partial<Pick<UserRow, 'emailVerified' | 'credentialsChangedAt'>>
export type NewUser = Omit<UserRecord, 'emailVerified' | 'credentialsChangedAt'> &
  Pick<UserRow, 'createdAt'> &
  Partial<Pick<UserRow, 'emailVerified'>>
/** An account at another system: `provider` is its issuer URL, `subject` its id for the user. */
export type Identity = { provider: string; subject: string }

export type MigrateUserInput = {
  user: NewUser & Pick<UserRow, 'emailVerified'>
  fill: boolean
  audit: AuditInput
}
/**
 * `migrated`: this call wrote the user; `already`: a concurrent sign-in migrated the same user
 * (same id and email) first; `id-taken`: the id belongs to a user with another email;
 * `email-taken`: the email belongs to a user with another id.
 */
export type MigrateUserOutcome = 'migrated' | 'already' | 'id-taken' | 'email-taken'

/** A session as the flows read it; the refresh counter and revoke reason stay in the store. */
export type SessionRecord = Omit<SessionRow, 'revokeReason' | 'refreshCount' | 'refreshWindowStart'>
export type NewSession = Omit<SessionRecord, 'revokedAt' | 'flaggedAt' | 'flagReason' | 'statusIdx'>
export type SessionWithUser = SessionRecord & Pick<UserRow, 'email' | 'emailVerified'>

/** A fixed-window counter: `count` events since `windowStart`, the latest at `lastAt` (ms). */
export type Counter = Pick<typeof rateLimits.$inferSelect, 'count' | 'windowStart' | 'lastAt'>
/** What a limit is judged on: the count in the window that started at `windowStart`. */
export type WindowCount = Pick<Counter, 'count' | 'windowStart'>

export type BeginLoginInput = {
  email: string
  ipKey: string
  attemptKey: string
  failKey: string
  now: number
  ipWindowMs: number
  accountWindowMs: number
}
/** `failures`: the account's resolved failures; `attempt`: its attempts after counting this one. */
export type BeginLoginRecord = {
  user: UserRecord | undefined
  /** Whether the user has a confirmed second factor (README: Second factor). */
  secondFactor: boolean
  ip: Counter
  failures: Counter | undefined
  attempt: Counter
}

export type RotationInput = {
  tokenHash: string
  successorHash: string
  successorBox: string
  now: number
  idleTtlMs: number
  /** Refreshes allowed per session per window; counted on the session in the same batch. */
  refreshLimit: { limit: number; windowMs: number }
  /** The counter an unknown token is counted on (the client's IP), and its window. */
  unknownTokenLimit: { key: string; windowMs: number }
  audit: AuditInput
}

/** No such token: the counter of unknown tokens after counting this one. */
export type UnknownTokenRecord = { unknownTokens: WindowCount }

/** The presented token's row after the attempt; `won` when this call rotated it. */
export type RotationRecord = {
  won: boolean
  session: SessionWithUser
  usedAt: number | null
  successorBox: string | null
  /** Whether the successor is itself still unused (only an immediate parent gets grace). */
  successorUnused: boolean
  /** The session's refresh counter after this attempt. */
  refreshes: WindowCount
}

export type RevokeInput = { now: number; reason: RevokeReason; audit: AuditInput }
/** Why a session ended, as `sessions.revoke_reason` stores it. */
export type RevokeReason =
  'logout' | 'logout-all' | 'revoked' | 'reuse' | 'password-change' | 'anomaly'

export type AuditEvent =
  | 'register'
  | 'login.success'
  | 'login.failure'
  | 'refresh'
  | 'refresh.reuse'
  | 'logout'
  | 'logout.all'
  | 'session.revoke'
  | 'password.change'
  | 'refresh.anomaly'
  | 'rate-limited'
  | 'legacy.exchange'
  | 'key.signing'
  | 'code.request'
  | 'password.reset'
  | 'email.verify'
  | 'email.change'
  | 'mail.failure'
  | 'users.import'
  | 'user.migrated'
  | 'user.migration-refused'
  | 'session.start'
  | 'mfa.enroll'
  | 'mfa.confirm'
  | 'mfa.challenge'
  | 'mfa.failure'
  | 'mfa.recovery-code'
  | 'mfa.recovery-codes'
  | 'mfa.step-up'
  | 'mfa.disable'

/** An audit row to write: the columns of `audit_events` but its id, the event one of the list. */
export type AuditInput = Omit<typeof auditEvents.$inferInsert, 'id' | 'event'> & {
  event: AuditEvent
}
export type AuditRecord = Omit<typeof auditEvents.$inferSelect, 'id' | 'userId'>

/** Who sent a legacy token, as far as headers say; both parts bounded and never null. */
export type LegacyClient = { userAgent: string; appVersion: string }

/** One presentation of a verified legacy token. */
export type LegacyUse = {
  at: number
  userId: string
  client: LegacyClient
  /**
   * The token's `iat` (epoch seconds): a token older than the user's last sign-out everywhere or
   * password change is refused.
   */
  issuedAt?: number | undefined
}
