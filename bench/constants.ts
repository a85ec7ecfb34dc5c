// Shared by the bench worker (bundled) and the Node harness, so it imports nothing.

/** Scratch table for the refresh floor's write; created by the harness, never by a migration. */
export const FLOOR_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS bench_floor (id TEXT PRIMARY KEY, at INTEGER NOT NULL)'

/** The user agent of every bench request and session, so no refresh looks like an anomaly. */
export const BENCH_USER_AGENT = 'rotor-bench'

/** Marks the bench worker's stand-in revocation feed, served only while the issuer has none. */
export const BENCH_FEED_HEADER = 'x-rotor-bench-feed'
