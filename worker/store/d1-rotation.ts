import { and, eq, exists, gt, isNull, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { DrizzleD1Database } from 'drizzle-orm/d1'
import { rateLimits, refreshTokens, sessions, users } from '../../db/schema'
import { insertAuditWhere } from './d1-audit'
import { hitCounterWhere } from './d1-counters'
import type { RotationInput, RotationRecord } from './session-store'

type Db = DrizzleD1Database<Record<string, never>>

type ColumnValue<C extends AnySQLiteColumn> = C['_']['notNull'] extends true
  ? C['_']['data']
  : C['_']['data'] | null
const as = <C extends AnySQLiteColumn>(column: C, name: string) =>
  sql<ColumnValue<C>>`${column}`.as(name)

/**
 * One `batch()` (one round trip, one SQLite transaction): the compare-and-set on the presented
 * token (`used_at IS NULL`, session live), the successor row and the session's new idle deadline
 * only if this call won, then a read of the presented token's row that says what happened.
 * Exactly one concurrent caller can win: the others find `used_at` already set.
 */
export async function rotateInD1(
  db: Db,
  input: RotationInput,
): Promise<RotationRecord | undefined> {
  const { tokenHash, successorHash, successorBox, now, idleTtlMs } = input
  const wonBy = and(
    eq(refreshTokens.tokenHash, tokenHash),
    eq(refreshTokens.successorHash, successorHash),
  )
  const child = alias(refreshTokens, 'child')
  const { limit, windowMs } = input.refreshLimit
  const counterKey = sql`'refresh:' || ${refreshTokens.sessionId}`

  const [, , , , , rows] = await db.batch([
    // Every attempt on a known token counts against its session, before the compare-and-set.
    hitCounterWhere(
      db,
      sql`SELECT 'refresh:' || session_id, ${now}, 1, ${now} FROM ${refreshTokens} WHERE token_hash = ${tokenHash}`,
      now,
      windowMs,
    ),
    db
      .update(refreshTokens)
      .set({ usedAt: now, successorHash, successorBox })
      .where(
        and(
          eq(refreshTokens.tokenHash, tokenHash),
          isNull(refreshTokens.usedAt),
          exists(
            db
              .select({ one: sql`1` })
              .from(sessions)
              .where(
                and(
                  eq(sessions.id, refreshTokens.sessionId),
                  isNull(sessions.revokedAt),
                  gt(sessions.idleExpiresAt, now),
                  gt(sessions.absoluteExpiresAt, now),
                ),
              ),
          ),
          sql`(SELECT ${rateLimits.count} FROM ${rateLimits} WHERE ${rateLimits.key} = ${counterKey}) <= ${limit}`,
        ),
      ),
    // Insert-select rather than `db.run`: drizzle cannot batch a raw statement with parameters.
    db.insert(refreshTokens).select(sql`
      SELECT ${successorHash}, session_id, ${now}, NULL, NULL, NULL FROM ${refreshTokens}
      WHERE token_hash = ${tokenHash} AND successor_hash = ${successorHash}`),
    db
      .update(sessions)
      .set({
        lastUsedAt: now,
        idleExpiresAt: sql`MIN(${now + idleTtlMs}, ${sessions.absoluteExpiresAt})`,
      })
      .where(
        eq(
          sessions.id,
          db.select({ id: refreshTokens.sessionId }).from(refreshTokens).where(wonBy),
        ),
      ),
    insertAuditWhere(db, input.audit, {
      userId: sql`s.user_id`,
      sessionId: sql`s.id`,
      from: sql`FROM ${refreshTokens} t JOIN ${sessions} s ON s.id = t.session_id
        WHERE t.token_hash = ${tokenHash} AND t.successor_hash = ${successorHash}`,
    }),
    // Batch results come back as objects keyed by column name, so every name must be unique.
    db
      .select({
        successorHash: as(refreshTokens.successorHash, 'p_successor_hash'),
        usedAt: as(refreshTokens.usedAt, 'p_used_at'),
        successorBox: as(refreshTokens.successorBox, 'p_successor_box'),
        childUsedAt: as(child.usedAt, 'c_used_at'),
        childHash: as(child.tokenHash, 'c_token_hash'),
        session: {
          id: as(sessions.id, 's_id'),
          userId: as(sessions.userId, 's_user_id'),
          deviceName: as(sessions.deviceName, 's_device_name'),
          userAgent: as(sessions.userAgent, 's_user_agent'),
          country: as(sessions.country, 's_country'),
          createdAt: as(sessions.createdAt, 's_created_at'),
          lastUsedAt: as(sessions.lastUsedAt, 's_last_used_at'),
          idleExpiresAt: as(sessions.idleExpiresAt, 's_idle_expires_at'),
          absoluteExpiresAt: as(sessions.absoluteExpiresAt, 's_absolute_expires_at'),
          revokedAt: as(sessions.revokedAt, 's_revoked_at'),
          flaggedAt: as(sessions.flaggedAt, 's_flagged_at'),
          flagReason: as(sessions.flagReason, 's_flag_reason'),
          email: as(users.email, 'u_email'),
        },
        refreshes: {
          count: as(rateLimits.count, 'r_count'),
          windowStart: as(rateLimits.windowStart, 'r_window_start'),
          lastAt: as(rateLimits.lastAt, 'r_last_at'),
        },
      })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(child, eq(child.tokenHash, refreshTokens.successorHash))
      .innerJoin(rateLimits, eq(rateLimits.key, counterKey))
      .where(eq(refreshTokens.tokenHash, tokenHash)),
  ])
  const row = rows[0]
  if (!row) return undefined
  return {
    won: row.successorHash === successorHash,
    session: row.session,
    usedAt: row.usedAt,
    successorBox: row.successorBox,
    successorUnused: row.childHash !== null && row.childUsedAt === null,
    refreshes: row.refreshes,
  }
}
