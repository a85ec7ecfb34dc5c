import { ROUTES } from '../contract/index.ts'
import { BENCH_USER_AGENT } from './constants.ts'
import { call, registerUser } from './fixtures.ts'
import { runMatrix } from './matrix.ts'
import type { Driver } from './driver.ts'
import type { Cell, CellResult, MatrixOptions } from './matrix.ts'
import type { Miniflare } from 'miniflare'

type D1 = Awaited<ReturnType<Miniflare['getD1Database']>>

export type FeedIssuerResult = {
  sessions: number
  revoked: number
  seedSeconds: number
  /** The feed the route serves over the seeded database, in bytes. */
  routeBytes: number
  /** What one build costs D1, from the counting wrapper on the binding. */
  perBuild: { roundTrips: number; rowsRead: number }
  cells: CellResult[]
}

const CHUNK = 100_000

/**
 * The issuer's side of the feed over a database of `sessions` sessions (indexes 0…n−1) of which
 * about 1 % were revoked a moment ago, at random: the route as verifiers hit it (served from the
 * isolate's cache, and 304), one build per request (what a revocation in the isolate costs the
 * next request), the same build over the near-empty database of the main issuer, and the bare
 * route beside them.
 */
export async function runFeedIssuer(options: {
  mf: Miniflare
  driver: Driver
  feedUrl: URL
  mainUrl: URL
  sessions: number
  matrix: Omit<MatrixOptions, 'connections'>
  log: (line: string) => void
}): Promise<FeedIssuerResult> {
  const { feedUrl, mainUrl } = options
  const db = await options.mf.getD1Database('DB', 'feed')
  const user = await registerUser(feedUrl)
  const start = performance.now()
  await seedFeedSessions(db, user.id, options.sessions)
  const seedSeconds = (performance.now() - start) / 1000
  const revoked = (await db
    .prepare('SELECT COUNT(*) AS n FROM sessions WHERE revoked_at IS NOT NULL')
    .first<{ n: number }>())!.n
  options.log(
    `feed: ${options.sessions.toLocaleString('en')} sessions, ${revoked.toLocaleString('en')} ` +
      `revoked (seeded in ${seedSeconds.toFixed(1)} s)`,
  )
  const counted = async () => (await call(feedUrl, '/bench/round-trips')) as FeedCounter
  const before = await counted()
  const built = (await call(feedUrl, '/bench/feed-build')) as { bytes: number }
  const after = await counted()
  const response = await fetch(new URL(ROUTES.revocationFeed, feedUrl))
  const routeBytes = (await response.arrayBuffer()).byteLength

  const get =
    (base: URL, path: string, headers: Record<string, string> = {}) =>
    (connections: number, duration: number) => ({
      url: new URL(path, base).href,
      connections,
      duration,
      headers: { 'user-agent': BENCH_USER_AGENT, ...headers },
    })
  const cells: Cell[] = [
    { key: 'feed.bare', label: 'feed issuer bare (/healthz)', spec: get(feedUrl, '/healthz') },
    {
      key: 'feed.cached',
      label: 'feed, from the 1 s cache',
      spec: get(feedUrl, ROUTES.revocationFeed),
      connections: [16, 64],
    },
    {
      key: 'feed.304',
      label: 'feed, 304 (If-None-Match)',
      spec: (connections: number, duration: number) => ({
        ...get(feedUrl, ROUTES.revocationFeed, { 'if-none-match': '*' })(connections, duration),
        expectStatus: 304,
      }),
      connections: [16, 64],
    },
    {
      key: 'feed.build',
      label: 'feed, built every request',
      spec: get(feedUrl, '/bench/feed-build'),
      connections: [4],
    },
    {
      key: 'feed.read',
      label: 'feed’s D1 read alone',
      spec: get(feedUrl, '/bench/feed-read'),
      connections: [4],
    },
    {
      key: 'feed.build-empty',
      label: 'feed built, nothing revoked',
      spec: get(mainUrl, '/bench/feed-build'),
      connections: [4],
    },
  ].map((cell) => ({ connections: [16], ...cell }))
  const results = await runMatrix(options.driver, cells, { ...options.matrix, connections: [16] })
  if (built.bytes !== routeBytes)
    options.log(`feed: built ${built.bytes} B, served ${routeBytes} B`)
  return {
    sessions: options.sessions,
    revoked,
    seedSeconds,
    routeBytes,
    perBuild: {
      roundTrips: after.roundTrips - before.roundTrips,
      rowsRead: after.rowsRead - before.rowsRead,
    },
    cells: results,
  }
}

type FeedCounter = { roundTrips: number; rowsRead: number }

/**
 * `sessions` sessions of one user with feed indexes 0…n−1, each revoked just now with chance
 * 1/100 (SQLite's `random()`), in statements of 100k rows generated inside SQLite.
 */
async function seedFeedSessions(db: D1, userId: string, sessions: number): Promise<void> {
  const now = Date.now()
  const day = 86_400_000
  for (let from = 0; from < sessions; from += CHUNK) {
    const to = Math.min(sessions, from + CHUNK) - 1
    await db
      .prepare(
        `WITH RECURSIVE seq(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM seq WHERE i < ?2),
           picked AS (SELECT i, abs(random()) % 100 = 0 AS revoked FROM seq)
         INSERT INTO sessions (id, user_id, user_agent, created_at, last_used_at,
           idle_expires_at, absolute_expires_at, status_idx, revoked_at, revoke_reason)
         SELECT 'feed-' || i, ?3, ?4, ?5, ?5, ?6, ?7, i,
           CASE WHEN revoked THEN ?8 END, CASE WHEN revoked THEN 'logout' END FROM picked`,
      )
      .bind(from, to, userId, BENCH_USER_AGENT, now - day, now + 7 * day, now + 30 * day, now)
      .run()
  }
}
