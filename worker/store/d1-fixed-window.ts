import { sql } from 'drizzle-orm'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'
import type { SQL } from 'drizzle-orm'

/** The operands of a fixed-window counter: its two columns, the time and the window (ms). */
export type FixedWindowOperands = {
  count: unknown
  windowStart: unknown
  now: unknown
  windowMs: unknown
}

/**
 * A fixed-window counter's SQL, written once for the `rate_limits` upsert and the rotation's
 * counter on `sessions`. Every expression reads the row as it was, so the window resets and the
 * count restarts at 1 together. Operands are drizzle columns or values, or `sql.raw` text.
 */
export function fixedWindow(c: FixedWindowOperands): {
  current: SQL
  count: SQL
  windowStart: SQL
} {
  const over = sql`${c.windowStart} <= ${c.now} - ${c.windowMs}`
  return {
    /** The count in the window that holds `now`, before this event. */
    current: sql`CASE WHEN ${over} THEN 0 ELSE ${c.count} END`,
    /** The count after this event. */
    count: sql`CASE WHEN ${over} THEN 1 ELSE ${c.count} + 1 END`,
    windowStart: sql`CASE WHEN ${over} THEN ${c.now} ELSE ${c.windowStart} END`,
  }
}

const dialect = new SQLiteSyncDialect()

/** The text of a fragment built from `sql.raw` parts only, for statements written as plain SQL. */
export function sqlText(fragment: SQL): string {
  const query = dialect.sqlToQuery(fragment)
  if (query.params.length > 0) throw new Error('sqlText takes raw fragments only')
  return query.sql
}
