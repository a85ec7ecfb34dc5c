import type { RotationInput, RotationRecord } from './session-store.ts'

// Refresh is the hottest write path, so its five statements are plain SQL prepared once per call
// with numbered parameters: measured under load, building them with drizzle on every call cost
// about a tenth of the issuer's time (README: Benchmark). Table and column names follow
// db/schema.ts; the rotation tests and the round-trip test exercise every statement.
// Parameters, the same in every statement: ?1 now, ?2 token hash, ?3 successor hash.

// The compare-and-set: unused token, live session, session under its refresh limit (the counter
// as it stood before this attempt, which the next statement counts).
// ?4 sealed successor, ?5 limit, ?6 window (ms)
const CLAIM_TOKEN = `
UPDATE refresh_tokens SET used_at = ?1, successor_hash = ?3, successor_box = ?4
WHERE token_hash = ?2 AND used_at IS NULL
  AND EXISTS (SELECT 1 FROM sessions s WHERE s.id = refresh_tokens.session_id
    AND s.revoked_at IS NULL AND s.idle_expires_at > ?1 AND s.absolute_expires_at > ?1
    AND CASE WHEN s.refresh_window_start <= ?1 - ?6 THEN 0 ELSE s.refresh_count END < ?5)`

// Every attempt on a known token counts against its session; a won attempt also slides the
// session's idle deadline (never past its absolute one). ?4 window (ms), ?5 idle lifetime (ms)
const TOUCH_SESSION = `
UPDATE sessions SET
  refresh_count = CASE WHEN refresh_window_start <= ?1 - ?4 THEN 1 ELSE refresh_count + 1 END,
  refresh_window_start = CASE WHEN refresh_window_start <= ?1 - ?4 THEN ?1
    ELSE refresh_window_start END,
  last_used_at = CASE WHEN t.won THEN ?1 ELSE last_used_at END,
  idle_expires_at = CASE WHEN t.won THEN MIN(?1 + ?5, absolute_expires_at)
    ELSE idle_expires_at END
FROM (SELECT session_id, successor_hash IS ?3 AS won FROM refresh_tokens WHERE token_hash = ?2) t
WHERE sessions.id = t.session_id`

// The next two act only if this call won (the token now names this call's successor).
const INSERT_SUCCESSOR = `
INSERT INTO refresh_tokens (token_hash, session_id, created_at)
SELECT ?3, session_id, ?1 FROM refresh_tokens WHERE token_hash = ?2 AND successor_hash = ?3`

// ?4 event, ?5 ip, ?6 country, ?7 user agent
const AUDIT_REFRESH = `
INSERT INTO audit_events (at, event, user_id, session_id, ip, country, user_agent, detail)
SELECT ?1, ?4, s.user_id, s.id, ?5, ?6, ?7, NULL
FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
WHERE t.token_hash = ?2 AND t.successor_hash = ?3`

// What happened: the presented token, its successor, its session (with the counter) and user.
const READ_OUTCOME = `
SELECT p.successor_hash, p.used_at, p.successor_box,
  c.token_hash AS child_hash, c.used_at AS child_used_at,
  s.id, s.user_id, s.device_name, s.user_agent, s.country, s.created_at, s.last_used_at,
  s.idle_expires_at, s.absolute_expires_at, s.revoked_at, s.flagged_at, s.flag_reason,
  s.refresh_count, s.refresh_window_start, u.email
FROM refresh_tokens p
JOIN sessions s ON s.id = p.session_id
JOIN users u ON u.id = s.user_id
LEFT JOIN refresh_tokens c ON c.token_hash = p.successor_hash
WHERE p.token_hash = ?2`

type OutcomeRow = {
  successor_hash: string | null
  used_at: number | null
  successor_box: string | null
  child_hash: string | null
  child_used_at: number | null
  id: string
  user_id: string
  device_name: string | null
  user_agent: string | null
  country: string | null
  created_at: number
  last_used_at: number
  idle_expires_at: number
  absolute_expires_at: number
  revoked_at: number | null
  flagged_at: number | null
  flag_reason: string | null
  refresh_count: number
  refresh_window_start: number
  email: string
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
      ),
    d1.prepare(READ_OUTCOME).bind(now, tokenHash),
  ])
  const row = results[4]?.results[0] as OutcomeRow | undefined
  if (!row) return undefined
  return {
    won: row.successor_hash === successorHash,
    usedAt: row.used_at,
    successorBox: row.successor_box,
    successorUnused: row.child_hash !== null && row.child_used_at === null,
    refreshes: { count: row.refresh_count, windowStart: row.refresh_window_start },
    session: {
      id: row.id,
      userId: row.user_id,
      deviceName: row.device_name,
      userAgent: row.user_agent,
      country: row.country,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      idleExpiresAt: row.idle_expires_at,
      absoluteExpiresAt: row.absolute_expires_at,
      revokedAt: row.revoked_at,
      flaggedAt: row.flagged_at,
      flagReason: row.flag_reason,
      email: row.email,
    },
  }
}
