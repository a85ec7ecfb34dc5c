import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

// Every timestamp column holds epoch milliseconds: the grace window needs sub-second order.

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  /**
   * Rotor's own scheme, or a foreign hash kept from an import until the user's next sign-in
   * upgrades it (`worker/passwords/hash-format.ts`). `''` (`NO_PASSWORD`) when the user has no
   * password here yet: imported without one, or created by another system's sign-in.
   */
  passwordHash: text('password_hash').notNull(),
  /** Whether the email address was shown to belong to the user (kept from an import). */
  emailVerified: integer('email_verified', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  /**
   * Last password change or sign-out everywhere: legacy tokens issued before it are refused, since
   * they cannot be revoked one by one (DESIGN §8).
   */
  credentialsChangedAt: integer('credentials_changed_at'),
})

/** A session is one refresh-token family: everything descended from one login. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    deviceName: text('device_name'),
    /**
     * The first-party client the session was started for (`CLIENT_IDS`), every access token's
     * `client_id`. NULL only for sessions begun before it was recorded: they carry the default.
     */
    clientId: text('client_id'),
    userAgent: text('user_agent'),
    /** Where the session began (`request.cf.country`), to flag a refresh from elsewhere. */
    country: text('country'),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at').notNull(),
    idleExpiresAt: integer('idle_expires_at').notNull(),
    absoluteExpiresAt: integer('absolute_expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    revokeReason: text('revoke_reason'),
    /** Set when a refresh came from a new country or user agent (an anomaly, not proof of theft). */
    flaggedAt: integer('flagged_at'),
    flagReason: text('flag_reason'),
    /**
     * The refresh limit's counter (RATE_LIMIT_REFRESH_SESSION) lives on the session it limits, so
     * a rotation writes one session row instead of a session row and a counter row.
     */
    refreshCount: integer('refresh_count').notNull().default(0),
    refreshWindowStart: integer('refresh_window_start').notNull().default(0),
    /**
     * The session's index in the revocation feed (a Token Status List, README: Revocation feed),
     * carried in every access token's `status` claim. Allocated at session start as one more than
     * the greatest in use; an index is only ever reused after its holder was purged, when none of
     * its access tokens can verify any more.
     */
    statusIdx: integer('status_idx'),
    /**
     * How the user signed in (README: Second factor): RFC 8176 `amr` values as a JSON array, the
     * level they give (`acr`) and when (`auth_time`, ms). A step-up updates all three; NULL for
     * sessions begun before migration 0011.
     */
    amr: text('amr'),
    acr: text('acr'),
    authTime: integer('auth_time'),
  },
  (t) => [
    uniqueIndex('sessions_status_idx_unique').on(t.statusIdx),
    index('sessions_user_id_idx').on(t.userId),
    index('sessions_absolute_expires_at_idx').on(t.absoluteExpiresAt),
    // The purge finds ended sessions by these two (idle deadlines never pass absolute ones).
    index('sessions_idle_expires_at_idx').on(t.idleExpiresAt),
    index('sessions_revoked_at_idx').on(t.revokedAt),
  ],
)

/**
 * Refresh tokens are stored only as the SHA-256 of the token. A rotated token keeps its successor
 * sealed under a key derived from the token itself, so only a holder of it can recover the
 * successor within the grace window.
 */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    usedAt: integer('used_at'),
    successorHash: text('successor_hash'),
    successorBox: text('successor_box'),
  },
  (t) => [index('refresh_tokens_session_id_idx').on(t.sessionId)],
)

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    event: text('event').notNull(),
    userId: text('user_id'),
    sessionId: text('session_id'),
    ip: text('ip'),
    country: text('country'),
    userAgent: text('user_agent'),
    /** A short machine-readable qualifier, e.g. `new-country`; never a token or password. */
    detail: text('detail'),
    /** The request that caused the event: its `cf-ray`, or an id generated for it (in logs too). */
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_events_user_id_at_idx').on(t.userId, t.at),
    index('audit_events_at_idx').on(t.at),
  ],
)

/**
 * A user's account at another system that may start sessions for them: an OpenID provider's
 * `sub` (`provider` is its issuer URL). One user may have several; one subject links one user.
 */
export const userIdentities = sqliteTable(
  'user_identities',
  {
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.subject] }),
    index('user_identities_user_id_idx').on(t.userId),
  ],
)

/**
 * One-time codes for password reset, email verification and email change (README: Recovery and
 * verification). Only an HMAC of the code is stored; one live code per user and purpose (a new
 * request replaces it), bound to the address it was sent to. `attempts` counts guesses at it.
 */
export const oneTimeCodes = sqliteTable(
  'one_time_codes',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    codeHash: text('code_hash').notNull(),
    /** The address the code was sent to: the account's for reset and verify, the new one for a change. */
    email: text('email').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.purpose] }),
    index('one_time_codes_expires_at_idx').on(t.expiresAt),
  ],
)

/**
 * The development mail outbox (`MAIL_TRANSPORT = "outbox"`, refused unless ISSUER is a loopback
 * address): messages Rotor would have sent, for `npm run dev` and the demo page to show.
 */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
  },
  (t) => [index('mail_outbox_to_idx').on(t.to, t.id)],
)

/**
 * The revocation feed's sequence number: one row, bumped by a trigger (migration 0010) whenever a
 * session's `revoked_at` is first set, so every path that revokes moves the feed on in its own
 * statement (same batch, no extra round trip). Verifiers never go back to a lower `seq`.
 */
export const revocationFeed = sqliteTable('revocation_feed', {
  id: integer('id').primaryKey(),
  seq: integer('seq').notNull(),
})

/**
 * A user's TOTP factor (RFC 6238), one per user: unconfirmed until a first valid code. The secret
 * is stored only sealed (AES-256-GCM under a key derived from MFA_ENCRYPTION_KEY, bound to the
 * user), never in the clear.
 */
export const mfaFactors = sqliteTable('mfa_factors', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretBox: text('secret_box').notNull(),
  createdAt: integer('created_at').notNull(),
  confirmedAt: integer('confirmed_at'),
  /** The last time step a code was accepted for: no code of that step or before works again. */
  lastUsedStep: integer('last_used_step').notNull().default(0),
})

/** One-time recovery codes, stored only as HMACs; a used code's row is deleted. */
export const mfaRecoveryCodes = sqliteTable(
  'mfa_recovery_codes',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
)

/**
 * A sign-in waiting for its second step: what the first step decided (user, client, delivery,
 * device, methods so far), keyed by the SHA-256 of the challenge handed out, never the challenge.
 */
export const mfaChallenges = sqliteTable(
  'mfa_challenges',
  {
    idHash: text('id_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientId: text('client_id').notNull(),
    delivery: text('delivery').notNull(),
    deviceName: text('device_name'),
    /** The first step's `amr`, a JSON array. */
    amr: text('amr').notNull(),
    /** The audit event and detail the session's start will be written with. */
    event: text('event').notNull(),
    auditDetail: text('audit_detail'),
    /** The user's `credentials_changed_at` as the first step read it: a reset since voids it. */
    credentialsSeen: integer('credentials_seen'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [
    index('mfa_challenges_user_id_idx').on(t.userId),
    index('mfa_challenges_expires_at_idx').on(t.expiresAt),
  ],
)

export const schema = {
  users,
  sessions,
  refreshTokens,
  auditEvents,
  userIdentities,
  oneTimeCodes,
  mailOutbox,
  revocationFeed,
  mfaFactors,
  mfaRecoveryCodes,
  mfaChallenges,
}

/**
 * Fixed-window counters for rate limits, keyed like `login-ip:<ip>` or `login-fail:<email hash>`.
 * Exact under concurrency (one upsert each), and folded into the batches the flows already send.
 */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
  lastAt: integer('last_at').notNull(),
})

/**
 * Legacy-token use (DESIGN §8), one counter row per UTC day, client and user rather than a row per
 * request, so heavy legacy traffic costs one upsert each and the table grows with users, not calls.
 * `user_id` is the token's `sub` as presented (no foreign key: an unknown sub is counted too).
 * Absent client headers are stored as '' so the primary key stays unique (NULLs never collide).
 */
export const legacyUsage = sqliteTable(
  'legacy_usage',
  {
    day: text('day').notNull(),
    userAgent: text('user_agent').notNull(),
    appVersion: text('app_version').notNull(),
    userId: text('user_id').notNull(),
    uses: integer('uses').notNull(),
    /** Uses refused: enforce phase, too old in warn, or a sub that names no user. */
    rejected: integer('rejected').notNull(),
    /** Uses that were `auth.exchangeLegacy` calls trading the token for a session. */
    exchanges: integer('exchanges').notNull(),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.userAgent, t.appVersion, t.userId] }),
    index('legacy_usage_user_id_idx').on(t.userId),
  ],
)
