import { and, eq, lt, sql } from 'drizzle-orm'
import { legacyUsage, users } from '../../db/schema.ts'
import { legacyReportSql, legacyTotalsSql } from './legacy-report-sql.ts'
import type { SQL } from 'drizzle-orm'
import type { Db } from './d1-db.ts'
import type { LegacyReportRow, LegacyReportTotals } from './legacy-report-sql.ts'
import type { LegacyUse, SessionStore } from './session-store.ts'

type LegacyUsageMethods = Pick<
  SessionStore,
  'recordLegacyRefusal' | 'recordLegacyUse' | 'purgeLegacyUsage' | 'legacyReport'
>

/** Legacy-token use on D1: one counter row per UTC day, client and user (DESIGN §8). */
export function createD1LegacyUsage(db: Db, d1: D1Database): LegacyUsageMethods {
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
    async recordLegacyRefusal(use) {
      await upsert(use, { rejected: 1, exchanges: 0 })
    },

    async recordLegacyUse(use, exchange) {
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

    async legacyReport(range) {
      // Plain SQL: the same statements `npm run legacy:report` sends through wrangler.
      const [rows, totals] = await d1.batch([
        d1.prepare(legacyReportSql(range)),
        d1.prepare(legacyTotalsSql(range)),
      ])
      return {
        rows: rows!.results as LegacyReportRow[],
        totals: totals!.results[0] as LegacyReportTotals,
      }
    },

    async purgeLegacyUsage(before, limit) {
      const old = db
        .select({ rowid: sql`rowid` })
        .from(legacyUsage)
        .where(lt(legacyUsage.day, usageDay(before)))
        .limit(limit)
      const deleted = await db
        .delete(legacyUsage)
        .where(sql`rowid IN ${old}`)
        .returning({ day: legacyUsage.day })
      return deleted.length
    },
  }
}

/** The UTC day of an epoch-ms time, as usage rows and the report key it. */
function usageDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10)
}
