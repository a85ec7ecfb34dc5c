import { eq, sql } from 'drizzle-orm'
import { rateLimits } from '../../db/schema.ts'
import type { Db } from './d1-db.ts'

const counterColumns = {
  count: rateLimits.count,
  windowStart: rateLimits.windowStart,
  lastAt: rateLimits.lastAt,
}

// All SET expressions read the row as it was, so the window resets and the count restarts at 1
// together. One upsert: exact under any concurrency.
const onHit = (now: number, windowMs: number) => ({
  target: rateLimits.key,
  set: {
    count: sql`CASE WHEN ${rateLimits.windowStart} <= ${now - windowMs} THEN 1 ELSE ${rateLimits.count} + 1 END`,
    windowStart: sql`CASE WHEN ${rateLimits.windowStart} <= ${now - windowMs} THEN ${now} ELSE ${rateLimits.windowStart} END`,
    lastAt: now,
  },
})

/** Counts one event against `key`; batchable; returns the counter after the hit. */
export function hitCounter(db: Db, key: string, now: number, windowMs: number) {
  return db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 1, lastAt: now })
    .onConflictDoUpdate(onHit(now, windowMs))
    .returning(counterColumns)
}

export function readCounter(db: Db, key: string) {
  return db.select(counterColumns).from(rateLimits).where(eq(rateLimits.key, key))
}

export function clearCounter(db: Db, key: string) {
  return db.delete(rateLimits).where(eq(rateLimits.key, key))
}
