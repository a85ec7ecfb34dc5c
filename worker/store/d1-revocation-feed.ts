import type { RevocationFeedRecord } from './session-store.ts'

// Plain SQL: one row per session revoked within the window (ten thousand at a million sessions,
// 1 % revoked), found by `sessions_revoked_at_idx`; D1 bills each as one row read. Table and
// column names follow db/schema.ts.
const REVOKED_INDEXES = `
SELECT status_idx FROM sessions WHERE revoked_at >= ?1 AND status_idx IS NOT NULL`
const SEQUENCE = `SELECT seq FROM revocation_feed WHERE id = 1`

/**
 * One `batch()` (one round trip, one snapshot): the indexes of the sessions revoked since
 * `revokedSince` (ms, inclusive) and the sequence number the revocation trigger moves on, so the
 * two always agree.
 */
export async function readRevocationFeedInD1(
  d1: D1Database,
  revokedSince: number,
): Promise<RevocationFeedRecord> {
  const [revoked, sequence] = await d1.batch<Record<string, number>>([
    d1.prepare(REVOKED_INDEXES).bind(revokedSince),
    d1.prepare(SEQUENCE),
  ])
  const seq = sequence?.results[0]?.seq
  // Migration 0010 writes the row; a database without it is not migrated.
  if (seq === undefined) throw new Error('revocation_feed has no row: apply migration 0010')
  return { seq, indexes: revoked!.results.map((row) => row.status_idx!) }
}
