import { CODES_LEFT, claimStatement, mfaStatements } from './d1-mfa-sql.ts'
import type { MfaStore } from './mfa-store.ts'

// Plain SQL: each claim is a compare-and-set whose later statements act only if it changed a row
// (`changes() > 0`, the count of the statement just before), which drizzle cannot chain.

type ClaimMethods = Pick<
  MfaStore,
  'claimMfaCode' | 'confirmFactor' | 'replaceRecoveryCodes' | 'disableFactor' | 'stepUpSession'
>

/** The second factor's claims and the writes that follow a right code, on D1. */
export function createD1MfaClaims(d1: D1Database): ClaimMethods {
  const { audit, clear, insertCodes } = mfaStatements(d1)
  const left = CODES_LEFT

  return {
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
  }
}
