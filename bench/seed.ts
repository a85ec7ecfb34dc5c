import { BENCH_USER_AGENT } from './constants.ts'
import type { Miniflare } from 'miniflare'

type D1 = Awaited<ReturnType<Miniflare['getD1Database']>>

/** Rows per INSERT: one statement, one transaction, no bound rows (generated inside SQLite). */
const CHUNK = 100_000
/** Refresh tokens per seeded session: one live, the rest already rotated, as a real family. */
export const TOKENS_PER_SESSION = 10

export async function countRows(db: D1): Promise<{ refreshTokens: number; sessions: number }> {
  const row = await db
    .prepare(
      'SELECT (SELECT COUNT(*) FROM refresh_tokens) AS t, (SELECT COUNT(*) FROM sessions) AS s',
    )
    .first<{ t: number; s: number }>()
  return { refreshTokens: row!.t, sessions: row!.s }
}

/**
 * `tokens` refresh-token rows over `tokens / 10` sessions of `userId`, with SQL
 * `WITH RECURSIVE` series (D1 binds at most 100 parameters; these bind seven at most; numbers are cast back to integers
 * because D1 may bind a JS number as REAL). Token
 * hashes are random like real SHA-256 keys, so the index grows as it would in production.
 * `ended: true` makes sessions that ended a day ago, for the purge.
 */
export async function seedSessions(
  db: D1,
  options: { userId: string; tag: string; tokens: number; ended?: boolean; perSession?: number },
): Promise<void> {
  const perSession = options.perSession ?? TOKENS_PER_SESSION
  const now = Date.now()
  const day = 86_400_000
  const [idle, absolute] = options.ended ? [now - day, now - day] : [now + 7 * day, now + 30 * day]
  const prefix = `seed-${options.tag}-`
  for (let from = 0; from < options.tokens; from += CHUNK) {
    const to = Math.min(options.tokens, from + CHUNK) - 1
    const sessionsFrom = Math.ceil(from / perSession)
    const sessionsTo = Math.floor(to / perSession)
    await db
      .prepare(
        `WITH RECURSIVE seq(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM seq WHERE i < ?2)
         INSERT INTO sessions (id, user_id, user_agent, created_at, last_used_at,
           idle_expires_at, absolute_expires_at)
         SELECT ?3 || i, ?4, ?8, ?5, ?5, ?6, ?7 FROM seq`,
      )
      .bind(
        sessionsFrom,
        sessionsTo,
        prefix,
        options.userId,
        now - day,
        idle,
        absolute,
        BENCH_USER_AGENT,
      )
      .run()
    await db
      .prepare(
        `WITH RECURSIVE seq(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM seq WHERE i < ?2)
         INSERT INTO refresh_tokens (token_hash, session_id, created_at, used_at)
         SELECT substr(hex(randomblob(32)), 1, 43), ?3 || (i / CAST(?4 AS INTEGER)), ?5,
           CASE WHEN i % CAST(?4 AS INTEGER) = ?4 - 1 THEN NULL ELSE ?5 END FROM seq`,
      )
      .bind(from, to, prefix, perSession, now - day)
      .run()
  }
}
