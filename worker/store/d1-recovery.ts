import { sql } from 'drizzle-orm'
import { fixedWindow, sqlText } from './d1-fixed-window.ts'
import type { CodePurpose } from '../../contract/index.ts'
import type { RecoveryStore, CodeOwner, CodeRecord } from './recovery-store.ts'
import type { AuditInput, Counter, UserRecord } from './session-store.ts'

// Plain SQL on the D1 binding: every consume is conditional on the code row (MATCH below), which
// drizzle's builders would spell at twice the length. Names follow db/schema.ts; the recovery
// tests exercise every statement.

const window = fixedWindow({
  count: sql.raw('count'),
  windowStart: sql.raw('window_start'),
  now: sql.raw('?2'),
  windowMs: sql.raw('?3'),
})
// ?1 key, ?2 now, ?3 window (ms)
const HIT_COUNTER = `
INSERT INTO rate_limits (key, window_start, count, last_at) VALUES (?1, ?2, 1, ?2)
ON CONFLICT (key) DO UPDATE SET count = ${sqlText(window.count)},
  window_start = ${sqlText(window.windowStart)}, last_at = ?2
RETURNING count, window_start AS "windowStart", last_at AS "lastAt"`

const USER_COLUMNS = `id, email, password_hash AS "passwordHash", email_verified AS "emailVerified"`

const owner = (account: CodeOwner) =>
  'email' in account
    ? { where: 'email = ?', value: account.email }
    : { where: 'id = ?', value: account.userId }

// The code named by ?1 user, ?2 purpose, ?3 hash, still live at ?4; for reset and verify also
// still sent to the account's present address.
const MATCH = `EXISTS (SELECT 1 FROM one_time_codes c WHERE c.user_id = ?1 AND c.purpose = ?2
  AND c.code_hash = ?3 AND c.expires_at > ?4
  AND (c.purpose = 'email-change' OR c.email = (SELECT u.email FROM users u WHERE u.id = ?1)))`

/** The one-time-code and outbox methods of the D1 store. */
export function createD1Recovery(d1: D1Database): RecoveryStore {
  const hit = (key: string, now: number, windowMs: number) =>
    d1.prepare(HIT_COUNTER).bind(key, now, windowMs)
  // An audit row written only when `where` (over `users`, with its own parameters) finds the user.
  const auditIf = (audit: AuditInput, where: string, params: unknown[]) =>
    d1
      .prepare(
        `INSERT INTO audit_events (at, event, user_id, session_id, ip, country, user_agent, detail, request_id)
         SELECT ?, ?, id, ?, ?, ?, ?, ?, ? FROM users WHERE ${where}`,
      )
      .bind(...auditValues(audit), ...params)
  const consumeArgs = (userId: string, purpose: CodePurpose, codeHash: string, now: number) =>
    [userId, purpose, codeHash, now] as const
  const deleteCode = (purpose: CodePurpose, ...args: ReturnType<typeof consumeArgs>) =>
    d1
      .prepare(
        `DELETE FROM one_time_codes WHERE user_id = ?1 AND purpose = ?2 AND code_hash = ?3
         AND expires_at > ?4 RETURNING user_id`,
      )
      .bind(...args.slice(0, 1), purpose, ...args.slice(2))

  return {
    async beginCodeRequest({ email, ipKey, accountKey, now, ipWindowMs, accountWindowMs }) {
      const [ip, account, user] = await d1.batch<Record<string, unknown>>([
        hit(ipKey, now, ipWindowMs),
        hit(accountKey, now, accountWindowMs),
        d1.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE email = ?`).bind(email),
      ])
      return {
        ip: ip!.results[0] as Counter,
        account: account!.results[0] as Counter,
        user: toUser(user!.results[0]),
      }
    },

    async saveCode({ account, purpose, codeHash, target, now, expiresAt, audit }) {
      const { where, value } = owner(account)
      await d1.batch([
        d1
          .prepare(
            `INSERT INTO one_time_codes (user_id, purpose, code_hash, email, created_at, expires_at, attempts)
             SELECT id, ?, ?, ?, ?, ?, 0 FROM users WHERE ${where} AND (? != 'verify' OR email_verified = 0)
             ON CONFLICT (user_id, purpose) DO UPDATE SET code_hash = excluded.code_hash,
               email = excluded.email, created_at = excluded.created_at,
               expires_at = excluded.expires_at, attempts = 0`,
          )
          .bind(purpose, codeHash, target, now, expiresAt, value, purpose),
        // `changes()` is the upsert's: no code stored, no audit row.
        auditIf(audit, `${where} AND changes() > 0`, [value]),
      ])
    },

    async deleteCode({ userId, purpose, codeHash }) {
      await d1
        .prepare('DELETE FROM one_time_codes WHERE user_id = ? AND purpose = ? AND code_hash = ?')
        .bind(userId, purpose, codeHash)
        .run()
    },

    async beginCodeAttempt({
      ipKey,
      accountKey,
      now,
      ipWindowMs,
      accountWindowMs,
      purpose,
      ...account
    }) {
      const { where, value } = owner(account as CodeOwner)
      const [ip, counted, , code] = await d1.batch<Record<string, unknown>>([
        hit(ipKey, now, ipWindowMs),
        hit(accountKey, now, accountWindowMs),
        d1
          .prepare(
            `UPDATE one_time_codes SET attempts = attempts + 1
             WHERE purpose = ? AND user_id = (SELECT id FROM users WHERE ${where})`,
          )
          .bind(purpose, value),
        d1
          .prepare(
            `SELECT c.user_id AS "userId", c.email, u.email AS "userEmail", c.code_hash AS "codeHash",
               c.expires_at AS "expiresAt", c.attempts
             FROM one_time_codes c JOIN users u ON u.id = c.user_id
             WHERE c.purpose = ? AND u.${where}`,
          )
          .bind(purpose, value),
      ])
      return {
        ip: ip!.results[0] as Counter,
        account: counted!.results[0] as Counter,
        code: code!.results[0] as CodeRecord | undefined,
      }
    },

    async consumeReset({ userId, codeHash, now, audit, passwordHash, clearRateLimitKeys }) {
      const args = consumeArgs(userId, 'reset', codeHash, now)
      const keys = clearRateLimitKeys.map((key) =>
        d1.prepare(`DELETE FROM rate_limits WHERE key = ?5 AND ${MATCH}`).bind(...args, key),
      )
      const results = await d1.batch<Record<string, unknown>>([
        // A reset proves the address is the user's, as a verification would.
        d1
          .prepare(
            `UPDATE users SET password_hash = ?5, credentials_changed_at = ?4, email_verified = 1
             WHERE id = ?1 AND ${MATCH}`,
          )
          .bind(...args, passwordHash),
        d1
          .prepare(
            `UPDATE sessions SET revoked_at = ?4, revoke_reason = 'password-change'
             WHERE user_id = ?1 AND revoked_at IS NULL AND ${MATCH} RETURNING id`,
          )
          .bind(...args),
        auditMatched(d1, audit, args),
        ...keys,
        d1
          .prepare(
            `DELETE FROM one_time_codes WHERE user_id = ?1 AND purpose = 'verify' AND ${MATCH}`,
          )
          .bind(...args),
        deleteCode('reset', ...args),
      ])
      return {
        revoked: results[1]!.results.length,
        consumed: results.at(-1)!.results.length === 1,
      }
    },

    async consumeVerify({ userId, codeHash, now, audit }) {
      const args = consumeArgs(userId, 'verify', codeHash, now)
      const results = await d1.batch<Record<string, unknown>>([
        d1.prepare(`UPDATE users SET email_verified = 1 WHERE id = ?1 AND ${MATCH}`).bind(...args),
        auditMatched(d1, audit, args),
        deleteCode('verify', ...args),
      ])
      return results.at(-1)!.results.length === 1
    },

    async consumeEmailChange({ userId, codeHash, now, audit }) {
      const args = consumeArgs(userId, 'email-change', codeHash, now)
      try {
        const results = await d1.batch<Record<string, unknown>>([
          d1
            .prepare(
              `UPDATE users SET email_verified = 1, email = (SELECT c.email FROM one_time_codes c
                 WHERE c.user_id = ?1 AND c.purpose = ?2 AND c.code_hash = ?3)
               WHERE id = ?1 AND ${MATCH}`,
            )
            .bind(...args),
          auditMatched(d1, audit, args),
          // Codes sent to the old address are void with it.
          d1
            .prepare(`DELETE FROM one_time_codes WHERE user_id = ?1 AND purpose != ?2 AND ${MATCH}`)
            .bind(...args),
          deleteCode('email-change', ...args),
        ])
        return results.at(-1)!.results.length === 1 ? 'changed' : 'invalid'
      } catch (error) {
        // The batch is one transaction: a taken address rolls every statement back.
        if (String((error as Error)?.message).includes('UNIQUE')) return 'email-taken'
        throw error
      }
    },

    async recordOutbox(row) {
      await d1
        .prepare('INSERT INTO mail_outbox (at, "to", subject, text) VALUES (?, ?, ?, ?)')
        .bind(row.at, row.to, row.subject, row.text)
        .run()
    },

    async listOutbox(to, limit) {
      const { results } = await d1
        .prepare(
          'SELECT id, at, "to", subject, text FROM mail_outbox WHERE "to" = ? ORDER BY id DESC LIMIT ?',
        )
        .bind(to, limit)
        .all<{ id: number; at: number; to: string; subject: string; text: string }>()
      return results
    },

    async purgeCodes(before, limit) {
      const [codes, outbox] = await d1.batch([
        d1
          .prepare(
            `DELETE FROM one_time_codes WHERE rowid IN
               (SELECT rowid FROM one_time_codes WHERE expires_at < ? LIMIT ?) RETURNING user_id`,
          )
          .bind(before, limit),
        d1
          .prepare(
            'DELETE FROM mail_outbox WHERE id IN (SELECT id FROM mail_outbox WHERE at < ? LIMIT ?) RETURNING id',
          )
          .bind(before, limit),
      ])
      return codes!.results.length + outbox!.results.length
    },
  }
}

/** The audit row of a consume, written only while the code (?1–?4) is still there. */
function auditMatched(d1: D1Database, audit: AuditInput, args: readonly unknown[]) {
  return d1
    .prepare(
      `INSERT INTO audit_events (at, event, user_id, session_id, ip, country, user_agent, detail, request_id)
       SELECT ?5, ?6, ?1, NULL, ?7, ?8, ?9, ?10, ?11 WHERE ${MATCH}`,
    )
    .bind(...args, ...auditValues(audit).filter((_, i) => i !== 2))
}

/** at, event, session id, ip, country, user agent, detail, request id. */
function auditValues(audit: AuditInput): unknown[] {
  return [
    audit.at,
    audit.event,
    audit.sessionId ?? null,
    audit.ip ?? null,
    audit.country ?? null,
    audit.userAgent ?? null,
    audit.detail ?? null,
    audit.requestId ?? null,
  ]
}

function toUser(row: Record<string, unknown> | undefined): UserRecord | undefined {
  if (!row) return undefined
  return {
    id: row.id as string,
    email: row.email as string,
    passwordHash: row.passwordHash as string,
    emailVerified: row.emailVerified === 1 || row.emailVerified === true,
  }
}
