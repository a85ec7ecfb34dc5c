import { and, eq, lt, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { legacyUsage, users } from '../../db/schema.ts'
import type { SQL } from 'drizzle-orm'
import { legacyReportSql, legacyTotalsSql } from './report-query.ts'
import type { LegacyClient } from './legacy-client.ts'
import type { LegacyReportRange, LegacyReportRow, LegacyReportTotals } from './report-query.ts'

/** One presentation of a verified legacy token. */
export type LegacyUse = {
  at: number
  userId: string
  client: LegacyClient
  /** The token's `iat` (epoch seconds): a token older than the user's last sign-out everywhere or
   * password change is refused. */
  issuedAt?: number | undefined
}

export type LegacyUsageStore = {
  /** Counts a use the phase refused: one upsert. */
  recordRefusal(use: LegacyUse): Promise<void>
  /**
   * Counts an accepted use (and an exchange, when `exchange`) and reads its user in the same
   * round trip — the read the legacy path needs anyway, so counting adds no D1 round trip. A
   * `sub` that names no user is counted as refused, decided inside the same statement.
   */
  recordUse(use: LegacyUse, exchange: boolean): Promise<{ id: string; email: string } | undefined>
  /** Deletes up to `limit` rows of days before `day` (YYYY-MM-DD); returns how many. */
  purgeBefore(day: string, limit: number): Promise<number>
  /** The `legacy:report` table and totals over a range of days, in one round trip. */
  report(range: LegacyReportRange): Promise<{ rows: LegacyReportRow[]; totals: LegacyReportTotals }>
}

/** The UTC day of an epoch-ms time, as usage rows and the report key it. */
export function usageDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10)
}

export function createLegacyUsageStore(d1: D1Database): LegacyUsageStore {
  const db = drizzle(d1)
  const upsert = (use: LegacyUse, counts: { rejected: number | SQL; exchanges: number | SQL }) =>
    db
      .insert(legacyUsage)
      .values({
        day: usageDay(use.at),
        userAgent: use.client.userAgent,
        appVersion: use.client.appVersion,
        userId: use.userId,
        uses: 1,
        rejected: counts.rejected,
        exchanges: counts.exchanges,
        firstAt: use.at,
        lastAt: use.at,
      })
      .onConflictDoUpdate({
        target: [
          legacyUsage.day,
          legacyUsage.userAgent,
          legacyUsage.appVersion,
          legacyUsage.userId,
        ],
        set: {
          uses: sql`${legacyUsage.uses} + 1`,
          rejected: sql`${legacyUsage.rejected} + excluded.rejected`,
          exchanges: sql`${legacyUsage.exchanges} + excluded.exchanges`,
          lastAt: sql`max(${legacyUsage.lastAt}, excluded.last_at)`,
        },
      })

  return {
    async recordRefusal(use) {
      await upsert(use, { rejected: 1, exchanges: 0 })
    },

    async recordUse(use, exchange) {
      // A user whose credentials changed after the token was issued counts as no user.
      const issuedMs = use.issuedAt === undefined ? null : use.issuedAt * 1000
      const current = sql`(${users.credentialsChangedAt} IS NULL OR ${users.credentialsChangedAt} <= ${issuedMs})`
      const known = sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${use.userId} AND ${current})`
      const [, found] = await db.batch([
        upsert(use, { rejected: sql`NOT ${known}`, exchanges: exchange ? known : 0 }),
        db
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(and(eq(users.id, use.userId), current)),
      ])
      return found[0]
    },

    async report(range) {
      const [rows, totals] = await d1.batch([
        d1.prepare(legacyReportSql(range)),
        d1.prepare(legacyTotalsSql(range)),
      ])
      return {
        rows: rows!.results as LegacyReportRow[],
        totals: totals!.results[0] as LegacyReportTotals,
      }
    },

    async purgeBefore(day, limit) {
      const old = db
        .select({ rowid: sql`rowid` })
        .from(legacyUsage)
        .where(lt(legacyUsage.day, day))
        .limit(limit)
      const deleted = await db
        .delete(legacyUsage)
        .where(sql`rowid IN ${old}`)
        .returning({ day: legacyUsage.day })
      return deleted.length
    },
  }
}
