import { sql } from 'drizzle-orm'
import { fixedWindow, sqlText } from './d1-fixed-window.ts'
import type {
  MfaAttemptRecord,
  MfaChallengeRecord,
  MfaFactorRecord,
  MfaStore,
} from './mfa-store.ts'
import type { AuditInput, Counter } from './session-store.ts'

// Plain SQL on the D1 binding: the claims are compare-and-sets whose later statements act only if
// the claim changed a row (`changes() > 0`, the count of the statement just before), which drizzle
// cannot chain. Names follow db/schema.ts; the mfa tests exercise every statement.

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

/** The second-factor methods of the D1 store. */
export function createD1Mfa(d1: D1Database): MfaStore {
  // An audit row; `where` makes it conditional, `detail` computes the detail column in SQL.
  const audit = (
    input: AuditInput,
    options: { where?: string; detail?: { sql: string; params: unknown[] } } = {},
  ) =>
    d1
      .prepare(
        `INSERT INTO audit_events (at, event, user_id, session_id, ip, country, user_agent, detail, request_id)
         SELECT ?, ?, ?, ?, ?, ?, ?, ${options.detail?.sql ?? '?'}, ? ${options.where ?? ''}`,
      )
      .bind(
        input.at,
        input.event,
        input.userId ?? null,
        input.sessionId ?? null,
        input.ip ?? null,
        input.country ?? null,
        input.userAgent ?? null,
        ...(options.detail?.params ?? [input.detail ?? null]),
        input.requestId ?? null,
      )
  const clear = (keys: readonly string[]) =>
    keys.map((key) => d1.prepare('DELETE FROM rate_limits WHERE key = ?').bind(key))
  const insertCodes = (userId: string, hashes: readonly string[], now: number, when = '') =>
    d1
      .prepare(
        `INSERT INTO mfa_recovery_codes (user_id, code_hash, created_at)
         SELECT ?1, value, ?2 FROM json_each(?3) ${when}`,
      )
      .bind(userId, now, JSON.stringify(hashes))
  const left = `(SELECT count(*) FROM mfa_recovery_codes WHERE user_id = ?)`

  return {
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

    async claimMfaCode({ userId, proof, challengeHash, now, maxChallengeAttempts, audit: input }) {
      const live =
        challengeHash === undefined
          ? { where: '', params: [] as unknown[] }
          : {
              where: `AND EXISTS (SELECT 1 FROM mfa_challenges WHERE id_hash = ? AND user_id = ?
                AND expires_at > ? AND attempts <= ?)`,
              params: [challengeHash, userId, now, maxChallengeAttempts],
            }
      const results = await d1.batch<Record<string, unknown>>([
        claimStatement(d1, userId, proof, live),
        ...(challengeHash === undefined
          ? []
          : [
              d1
                .prepare(
                  'DELETE FROM mfa_challenges WHERE id_hash = ? AND changes() > 0 RETURNING id_hash',
                )
                .bind(challengeHash),
            ]),
        // Spending a recovery code is audited with how many are left.
        ...('codeHash' in proof
          ? [
              audit(input, {
                where: 'WHERE changes() > 0',
                detail: { sql: `${left} || ' left'`, params: [userId] },
              }),
            ]
          : []),
        d1.prepare(`SELECT ${left} AS n`).bind(userId),
      ])
      const claimed =
        results[0]!.results.length === 1 &&
        (challengeHash === undefined || results[1]!.results.length === 1)
      return { claimed, recoveryCodesLeft: Number(results.at(-1)!.results[0]?.n ?? 0) }
    },

    async confirmFactor({
      userId,
      factorCreatedAt,
      step,
      codeHashes,
      now,
      clearRateLimitKeys,
      audit: input,
    }) {
      const results = await d1.batch<Record<string, unknown>>([
        d1
          .prepare(
            `UPDATE mfa_factors SET confirmed_at = ?1, last_used_step = ?2
             WHERE user_id = ?3 AND confirmed_at IS NULL AND created_at = ?4 RETURNING user_id`,
          )
          .bind(now, step, userId, factorCreatedAt),
        insertCodes(userId, codeHashes, now, 'WHERE changes() > 0'),
        audit(input, { where: 'WHERE changes() > 0' }),
        d1
          .prepare(
            `UPDATE users SET credentials_changed_at = ?1 WHERE id = ?2
             AND EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = ?2 AND confirmed_at = ?1)`,
          )
          .bind(now, userId),
        ...clear(clearRateLimitKeys),
      ])
      return results[0]!.results.length === 1
    },

    async replaceRecoveryCodes({ userId, codeHashes, now, clearRateLimitKeys, audit: input }) {
      await d1.batch([
        d1.prepare('DELETE FROM mfa_recovery_codes WHERE user_id = ?').bind(userId),
        insertCodes(userId, codeHashes, now),
        audit(input),
        ...clear(clearRateLimitKeys),
      ])
    },

    async disableFactor({ userId, keepSessionId, now, clearRateLimitKeys, audit: input }) {
      const results = await d1.batch<Record<string, unknown>>([
        d1.prepare('DELETE FROM mfa_factors WHERE user_id = ?').bind(userId),
        d1.prepare('DELETE FROM mfa_recovery_codes WHERE user_id = ?').bind(userId),
        d1.prepare('DELETE FROM mfa_challenges WHERE user_id = ?').bind(userId),
        // As a sign-out everywhere: legacy tokens issued before are refused from now on.
        d1.prepare('UPDATE users SET credentials_changed_at = ? WHERE id = ?').bind(now, userId),
        d1
          .prepare(
            `UPDATE sessions SET revoked_at = ?1, revoke_reason = 'mfa-disable'
             WHERE user_id = ?2 AND revoked_at IS NULL AND id != ?3 RETURNING id`,
          )
          .bind(now, userId, keepSessionId),
        audit(input),
        ...clear(clearRateLimitKeys),
      ])
      return results[4]!.results.length
    },

    async stepUpSession({
      userId,
      sessionId,
      proof,
      amr,
      acr,
      now,
      clearRateLimitKeys,
      audit: input,
    }) {
      const detail =
        'codeHash' in proof
          ? { sql: `'recovery-code, ' || ${left} || ' left'`, params: [userId] }
          : { sql: `'totp'`, params: [] }
      const results = await d1.batch<Record<string, unknown>>([
        claimStatement(d1, userId, proof, { where: '', params: [] }),
        d1
          .prepare(
            `UPDATE sessions SET amr = ?1, acr = ?2, auth_time = ?3
             WHERE id = ?4 AND user_id = ?5 AND revoked_at IS NULL AND changes() > 0`,
          )
          .bind(amr, acr, now, sessionId, userId),
        audit(input, { where: 'WHERE changes() > 0', detail }),
        ...clear(clearRateLimitKeys),
        d1.prepare(`SELECT ${left} AS n`).bind(userId),
      ])
      return {
        claimed: results[1]!.meta.changes === 1,
        recoveryCodesLeft: Number(results.at(-1)!.results[0]?.n ?? 0),
      }
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

/** The compare-and-set of a right code: a later time step, or a recovery code deleted. */
function claimStatement(
  d1: D1Database,
  userId: string,
  proof: { step: number } | { codeHash: string },
  live: { where: string; params: unknown[] },
) {
  if ('step' in proof) {
    return d1
      .prepare(
        `UPDATE mfa_factors SET last_used_step = ? WHERE user_id = ? AND confirmed_at IS NOT NULL
         AND last_used_step < ? ${live.where} RETURNING user_id`,
      )
      .bind(proof.step, userId, proof.step, ...live.params)
  }
  return d1
    .prepare(
      `DELETE FROM mfa_recovery_codes WHERE user_id = ? AND code_hash = ?
       AND EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = ? AND confirmed_at IS NOT NULL)
       ${live.where} RETURNING user_id`,
    )
    .bind(userId, proof.codeHash, userId, ...live.params)
}
