import { sql } from 'drizzle-orm'
import { fixedWindow, sqlText } from './d1-fixed-window.ts'
import { createD1MfaClaims } from './d1-mfa-claims.ts'
import { CODES_LEFT, mfaStatements } from './d1-mfa-sql.ts'
import type {
  MfaAttemptRecord,
  MfaChallengeRecord,
  MfaFactorRecord,
  MfaStore,
} from './mfa-store.ts'
import type { Counter } from './session-store.ts'

// Plain SQL on the D1 binding, as the claims (d1-mfa-claims.ts) need it; names follow
// db/schema.ts, and the mfa tests exercise every statement.

const window = fixedWindow({
  count: sql.raw('count'),
  windowStart: sql.raw('window_start'),
  now: sql.raw('?2'),
  windowMs: sql.raw('?3'),
})
// ?1 key, ?2 now, ?3 window (ms); the key may be an expression (`?4 || …`), hence the SELECT.
const hitCounter = (key: string, rest = 'WHERE 1') => `
INSERT INTO rate_limits (key, window_start, count, last_at) SELECT ${key}, ?2, 1, ?2 ${rest}
ON CONFLICT (key) DO UPDATE SET count = ${sqlText(window.count)},
  window_start = ${sqlText(window.windowStart)}, last_at = ?2
RETURNING count, window_start AS "windowStart", last_at AS "lastAt"`

const CHALLENGE_COLUMNS = `c.id_hash AS "idHash", c.user_id AS "userId", c.client_id AS "clientId",
  c.delivery, c.device_name AS "deviceName", c.amr, c.event, c.audit_detail AS "auditDetail",
  c.credentials_seen AS "credentialsSeen", c.created_at AS "createdAt", c.expires_at AS "expiresAt",
  c.attempts, u.email, u.email_verified AS "emailVerified",
  u.credentials_changed_at AS "credentialsChangedAt"`

const FACTOR_COLUMNS = `secret_box AS "secretBox", created_at AS "createdAt",
  confirmed_at AS "confirmedAt", last_used_step AS "lastUsedStep"`

/** The second-factor methods of the D1 store: reads, enrolment, challenges and failures here. */
export function createD1Mfa(d1: D1Database): MfaStore {
  const { audit, clear } = mfaStatements(d1)
  const left = CODES_LEFT

  return {
    ...createD1MfaClaims(d1),

    async readMfaStatus(userId) {
      const [factor, user] = await d1.batch<Record<string, unknown>>([
        d1
          .prepare(
            `SELECT created_at AS "createdAt", confirmed_at AS "confirmedAt" FROM mfa_factors
             WHERE user_id = ?`,
          )
          .bind(userId),
        d1
          .prepare(
            `SELECT credentials_changed_at AS "credentialsChangedAt", ${left} AS n FROM users
             WHERE id = ?`,
          )
          .bind(userId, userId),
      ])
      const row = user!.results[0]
      return {
        factor: factor!.results[0] as MfaStatusFactor | undefined,
        recoveryCodesLeft: Number(row?.n ?? 0),
        credentialsChangedAt: (row?.credentialsChangedAt as number | null | undefined) ?? null,
      }
    },

    async savePendingFactor({ userId, secretBox, now, clearRateLimitKeys, audit: auditInput }) {
      const [saved] = await d1.batch<Record<string, unknown>>([
        d1
          .prepare(
            `INSERT INTO mfa_factors (user_id, secret_box, created_at, confirmed_at, last_used_step)
             VALUES (?1, ?2, ?3, NULL, 0)
             ON CONFLICT (user_id) DO UPDATE SET secret_box = excluded.secret_box,
               created_at = excluded.created_at, last_used_step = 0
             WHERE mfa_factors.confirmed_at IS NULL RETURNING user_id`,
          )
          .bind(userId, secretBox, now),
        audit(auditInput, { where: 'WHERE changes() > 0' }),
        ...clear(clearRateLimitKeys),
      ])
      return saved!.results.length === 1 ? 'saved' : 'enrolled'
    },

    async createMfaChallenge({ challenge: c, clearRateLimitKeys, passwordHash, audit: input }) {
      await d1.batch([
        d1
          .prepare(
            `INSERT INTO mfa_challenges (id_hash, user_id, client_id, delivery, device_name, amr,
               event, audit_detail, credentials_seen, created_at, expires_at, attempts)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
          )
          .bind(
            c.idHash,
            c.userId,
            c.clientId,
            c.delivery,
            c.deviceName,
            c.amr,
            c.event,
            c.auditDetail,
            c.credentialsSeen,
            c.createdAt,
            c.expiresAt,
          ),
        // A foreign hash is upgraded as at any sign-in, never over a reset that committed since.
        ...(passwordHash === undefined
          ? []
          : [
              d1
                .prepare(
                  'UPDATE users SET password_hash = ? WHERE id = ? AND credentials_changed_at IS ?',
                )
                .bind(passwordHash, c.userId, c.credentialsSeen),
            ]),
        ...clear(clearRateLimitKeys),
        audit(input),
      ])
    },

    async beginMfaAttempt(input) {
      const { subject, now, ipWindowMs, accountWindowMs } = input
      const byChallenge = 'challengeHash' in subject
      const value = byChallenge ? subject.challengeHash : subject.userId
      // ?1 the subject: the user's id, or the challenge whose user it is.
      const user = byChallenge ? '(SELECT user_id FROM mfa_challenges WHERE id_hash = ?1)' : '?1'
      const results = await d1.batch<Record<string, unknown>>([
        d1.prepare(hitCounter('?4')).bind(input.ipKey, now, ipWindowMs, input.ipKey),
        // Counted before anything is judged, so parallel guesses at one challenge are bounded.
        d1
          .prepare(
            byChallenge
              ? 'UPDATE mfa_challenges SET attempts = attempts + 1 WHERE id_hash = ?1'
              : 'SELECT 1 WHERE ?1 IS NULL',
          )
          .bind(value),
        d1
          .prepare(hitCounter(`?4 || id`, `FROM users WHERE id = ${user}`))
          .bind(value, now, accountWindowMs, input.attemptPrefix),
        d1
          .prepare(
            `SELECT count, window_start AS "windowStart", last_at AS "lastAt" FROM rate_limits
             WHERE key = ?2 || ${user}`,
          )
          .bind(value, input.failPrefix),
        d1.prepare(`SELECT ${FACTOR_COLUMNS} FROM mfa_factors WHERE user_id = ${user}`).bind(value),
        d1
          .prepare(`SELECT code_hash AS "codeHash" FROM mfa_recovery_codes WHERE user_id = ${user}`)
          .bind(value),
        d1
          .prepare(
            `SELECT ${CHALLENGE_COLUMNS} FROM mfa_challenges c JOIN users u ON u.id = c.user_id
             WHERE c.id_hash = ?1 AND ?2`,
          )
          .bind(value, byChallenge ? 1 : 0),
      ])
      const row = (i: number) => results[i]!.results[0]
      const challenge = row(6) as (MfaChallengeRecord & { emailVerified: unknown }) | undefined
      const record: MfaAttemptRecord = {
        ip: row(0) as Counter,
        attempt: row(2) as Counter | undefined,
        failures: row(3) as Counter | undefined,
        factor: row(4) as MfaFactorRecord | undefined,
        recoveryCodeHashes: results[5]!.results.map((code) => code.codeHash as string),
        challenge: challenge && { ...challenge, emailVerified: Boolean(challenge.emailVerified) },
      }
      return record
    },

    async recordMfaFailure({ failKey, now, windowMs, dropChallengeHash, audit: input }) {
      await d1.batch([
        d1.prepare(hitCounter('?1')).bind(failKey, now, windowMs),
        audit(input),
        ...(dropChallengeHash === undefined
          ? []
          : [d1.prepare('DELETE FROM mfa_challenges WHERE id_hash = ?').bind(dropChallengeHash)]),
      ])
    },

    async purgeMfaChallenges(before, limit) {
      const { results } = await d1
        .prepare(
          `DELETE FROM mfa_challenges WHERE id_hash IN
             (SELECT id_hash FROM mfa_challenges WHERE expires_at < ? LIMIT ?) RETURNING id_hash`,
        )
        .bind(before, limit)
        .all()
      return results.length
    },
  }
}

type MfaStatusFactor = { createdAt: number; confirmedAt: number | null }
