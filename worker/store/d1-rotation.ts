import { sql } from 'drizzle-orm'
import { fixedWindow, sqlText } from './d1-fixed-window.ts'
import { SESSION_WITH_USER_SQL } from './d1-session-columns.ts'
import type { refreshTokens, sessions } from '../../db/schema.ts'
import type { RotationInput, RotationRecord, SessionWithUser } from './session-store.ts'

// Refresh is the hottest write path, so its five statements are plain SQL prepared once per call
// with numbered parameters: measured under load, building them with drizzle on every call cost
// about a tenth of the issuer's time (README: Benchmark). Table and column names follow
// db/schema.ts; the rotation tests and the round-trip test exercise every statement.
// Parameters, the same in every statement: ?1 now, ?2 token hash, ?3 successor hash.

/** The session's refresh counter, in the window `?N` (ms) names. */
const refreshWindow = (alias: string, windowMs: string) =>
  fixedWindow({
    count: sql.raw(`${alias}refresh_count`),
    windowStart: sql.raw(`${alias}refresh_window_start`),
    now: sql.raw('?1'),
    windowMs: sql.raw(windowMs),
  })

// The compare-and-set: unused token, live session, session under its refresh limit (the counter
// as it stood before this attempt, which the next statement counts).
// ?4 sealed successor, ?5 limit, ?6 window (ms)
const CLAIM_TOKEN = `
UPDATE refresh_tokens SET used_at = ?1, successor_hash = ?3, successor_box = ?4
WHERE token_hash = ?2 AND used_at IS NULL
  AND EXISTS (SELECT 1 FROM sessions s WHERE s.id = refresh_tokens.session_id
    AND s.revoked_at IS NULL AND s.idle_expires_at > ?1 AND s.absolute_expires_at > ?1
    AND ${sqlText(refreshWindow('s.', '?6').current)} < ?5)`

// Every attempt on a known token counts against its session; a won attempt also slides the
// session's idle deadline (never past its absolute one). ?4 window (ms), ?5 idle lifetime (ms)
const touched = refreshWindow('', '?4')
const TOUCH_SESSION = `
UPDATE sessions SET
  refresh_count = ${sqlText(touched.count)},
  refresh_window_start = ${sqlText(touched.windowStart)},
  last_used_at = CASE WHEN t.won THEN ?1 ELSE last_used_at END,
  idle_expires_at = CASE WHEN t.won THEN MIN(?1 + ?5, absolute_expires_at)
    ELSE idle_expires_at END
FROM (SELECT session_id, successor_hash IS ?3 AS won FROM refresh_tokens WHERE token_hash = ?2) t
WHERE sessions.id = t.session_id`

// The next two act only if this call won (the token now names this call's successor).
const INSERT_SUCCESSOR = `
INSERT INTO refresh_tokens (token_hash, session_id, created_at)
SELECT ?3, session_id, ?1 FROM refresh_tokens WHERE token_hash = ?2 AND successor_hash = ?3`

// ?4 event, ?5 ip, ?6 country, ?7 user agent, ?8 request id
const AUDIT_REFRESH = `
INSERT INTO audit_events (at, event, user_id, session_id, ip, country, user_agent, detail, request_id)
SELECT ?1, ?4, s.user_id, s.id, ?5, ?6, ?7, NULL, ?8
FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
WHERE t.token_hash = ?2 AND t.successor_hash = ?3`

// What happened: the presented token, its successor, its session (with the counter) and user.
const READ_OUTCOME = `
SELECT p.successor_hash AS "successorHash", p.used_at AS "usedAt",
  p.successor_box AS "successorBox", c.token_hash AS "childHash", c.used_at AS "childUsedAt",
  s.refresh_count AS "refreshCount", s.refresh_window_start AS "refreshWindowStart",
  ${SESSION_WITH_USER_SQL}
FROM refresh_tokens p
JOIN sessions s ON s.id = p.session_id
JOIN users u ON u.id = s.user_id
LEFT JOIN refresh_tokens c ON c.token_hash = p.successor_hash
WHERE p.token_hash = ?2`

type TokenRow = typeof refreshTokens.$inferSelect
type OutcomeRow = SessionWithUser &
  Pick<TokenRow, 'successorHash' | 'usedAt' | 'successorBox'> &
  Pick<typeof sessions.$inferSelect, 'refreshCount' | 'refreshWindowStart'> & {
    childHash: TokenRow['tokenHash'] | null
    childUsedAt: TokenRow['usedAt']
  }

/**
 * One `batch()` (one round trip, one SQLite transaction): the compare-and-set on the presented
 * token (`used_at IS NULL`, session live, under its refresh limit); the attempt counted on the
 * session, whose idle deadline slides only if this call won; the successor row and the audit row
 * only if this call won; then a read that says what happened. Exactly one concurrent caller can
 * win: the others find `used_at` already set.
 */
export async function rotateInD1(
  d1: D1Database,
  input: RotationInput,
): Promise<RotationRecord | undefined> {
  const { tokenHash, successorHash, successorBox, now, idleTtlMs, audit } = input
  const { limit, windowMs } = input.refreshLimit
  const results = await d1.batch([
    d1.prepare(CLAIM_TOKEN).bind(now, tokenHash, successorHash, successorBox, limit, windowMs),
    d1.prepare(TOUCH_SESSION).bind(now, tokenHash, successorHash, windowMs, idleTtlMs),
    d1.prepare(INSERT_SUCCESSOR).bind(now, tokenHash, successorHash),
    d1
      .prepare(AUDIT_REFRESH)
      .bind(
        now,
        tokenHash,
        successorHash,
        audit.event,
        audit.ip ?? null,
        audit.country ?? null,
        audit.userAgent ?? null,
        audit.requestId ?? null,
      ),
    d1.prepare(READ_OUTCOME).bind(now, tokenHash),
  ])
  const row = results[4]?.results[0] as OutcomeRow | undefined
  if (!row) return undefined
  const { successorHash: claimedBy, successorBox: box, usedAt, ...rest } = row
  const { childHash, childUsedAt, refreshCount, refreshWindowStart, ...session } = rest
  return {
    won: claimedBy === successorHash,
    usedAt,
    successorBox: box,
    successorUnused: childHash !== null && childUsedAt === null,
    refreshes: { count: refreshCount, windowStart: refreshWindowStart },
    session,
  }
}
