import { and, eq, exists, gt, isNull, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { DrizzleD1Database } from 'drizzle-orm/d1'
import { auditEvents, refreshTokens, sessions, users } from '../../db/schema'
import type { RotationInput, RotationRecord } from './session-store'

type Db = DrizzleD1Database<Record<string, never>>

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

  const [, , , , rows] = await db.batch([
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
    db.insert(auditEvents).select(sql`
      SELECT NULL, ${now}, ${input.audit.event}, s.user_id, s.id, ${input.audit.ip ?? null}, ${input.audit.userAgent ?? null}
      FROM ${refreshTokens} t JOIN ${sessions} s ON s.id = t.session_id
      WHERE t.token_hash = ${tokenHash} AND t.successor_hash = ${successorHash}`),
    db
      .select({
        successorHash: refreshTokens.successorHash,
        usedAt: refreshTokens.usedAt,
        successorBox: refreshTokens.successorBox,
        childUsedAt: child.usedAt,
        childHash: child.tokenHash,
        session: {
          id: sessions.id,
          userId: sessions.userId,
          deviceName: sessions.deviceName,
          userAgent: sessions.userAgent,
          createdAt: sessions.createdAt,
          lastUsedAt: sessions.lastUsedAt,
          idleExpiresAt: sessions.idleExpiresAt,
          absoluteExpiresAt: sessions.absoluteExpiresAt,
          revokedAt: sessions.revokedAt,
          email: users.email,
        },
      })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(child, eq(child.tokenHash, refreshTokens.successorHash))
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
  }
}
