import { eq } from 'drizzle-orm'
import { rateLimits } from '../../db/schema.ts'
import { fixedWindow } from './d1-fixed-window.ts'
import type { Db } from './d1-db.ts'

const counterColumns = {
  count: rateLimits.count,
  windowStart: rateLimits.windowStart,
  lastAt: rateLimits.lastAt,
}

/** Counts one event against `key`; batchable; returns the counter after the hit. */
export function hitCounter(db: Db, key: string, now: number, windowMs: number) {
  const { count, windowStart } = fixedWindow({ ...counterColumns, now, windowMs })
  // One upsert: exact under any concurrency.
  return db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 1, lastAt: now })
    .onConflictDoUpdate({ target: rateLimits.key, set: { count, windowStart, lastAt: now } })
    .returning(counterColumns)
}

export function readCounter(db: Db, key: string) {
  return db.select(counterColumns).from(rateLimits).where(eq(rateLimits.key, key))
}

export function clearCounter(db: Db, key: string) {
  return db.delete(rateLimits).where(eq(rateLimits.key, key))
}
