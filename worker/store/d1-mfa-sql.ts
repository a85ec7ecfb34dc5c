import type { AuditInput } from './session-store.ts'

// The second factor's statements that both halves of its D1 store use (d1-mfa.ts, d1-mfa-claims.ts).

/** `(SELECT count(*) …)`: the user's recovery codes left, one `?` for the user. */
export const CODES_LEFT = `(SELECT count(*) FROM mfa_recovery_codes WHERE user_id = ?)`

/** Batchable statements over one D1 binding. */
export function mfaStatements(d1: D1Database) {
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
  return { audit, clear, insertCodes }
}

/** The compare-and-set of a right code: a later time step, or a recovery code deleted. */
export function claimStatement(
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
