import { meCell, refreshCell } from './cells.ts'
import { call, registerUser, startSessions } from './fixtures.ts'
import { runMatrix } from './matrix.ts'
import { TOKENS_PER_SESSION, countRows, seedSessions } from './seed.ts'
import type { Driver } from './driver.ts'
import type { CellResult, MatrixOptions } from './matrix.ts'
import type { Miniflare } from 'miniflare'

export type GrowthLevel = {
  rows: { refreshTokens: number; sessions: number }
  seedSeconds: number
  cells: CellResult[]
  /** Milliseconds for one purge run deleting 10k ended sessions (and their tokens). */
  purgeMs: number
  purged: number
}

export type GrowthResult = { levels: GrowthLevel[] }

const PURGE_SESSIONS = 10_000
// Live sessions per level: one for auth.me, the rest start refresh chains.
const LIVE_SESSIONS = 300

/**
 * (5) auth.me and auth.refresh with `rows[i]` refresh tokens (a tenth as many sessions) seeded in
 * level i's own database behind its own issuer (`growth-<i>`), so the levels' runs interleave like
 * any other cells and machine noise hits them alike. Then the scheduled purge, timed per level
 * against 10k sessions that ended a day ago.
 */
export async function runGrowth(options: {
  mf: Miniflare
  driver: Driver
  urls: URL[]
  rows: number[]
  matrix: Omit<MatrixOptions, 'connections'>
  log: (line: string) => void
}): Promise<GrowthResult> {
  const prepared = []
  for (const [i, issuer] of options.urls.entries()) {
    const db = await options.mf.getD1Database('DB', `growth-${i}`)
    const user = await registerUser(issuer)
    const start = performance.now()
    const tokens = Math.ceil(options.rows[i]! / TOKENS_PER_SESSION) * TOKENS_PER_SESSION
    await seedSessions(db, { userId: user.id, tag: 'live', tokens })
    const seedSeconds = (performance.now() - start) / 1000
    const pairs = await startSessions(issuer, user, LIVE_SESSIONS)
    const rows = await countRows(db)
    options.log(
      `growth-${i}: ${rows.refreshTokens.toLocaleString('en')} refresh tokens, ` +
        `${rows.sessions.toLocaleString('en')} sessions (seeded in ${seedSeconds.toFixed(1)} s)`,
    )
    options.driver.pool(
      `growth-${i}`,
      pairs.slice(1).map((pair) => pair.refreshToken),
    )
    const cells = [
      meCell({ issuer, sessionToken: pairs[0]!.accessToken }),
      refreshCell({ issuer, refreshPool: `growth-${i}` }),
    ].map((cell) => ({ ...cell, key: `${i}:${cell.key}`, label: `${cell.label} @ growth-${i}` }))
    prepared.push({ db, user, issuer, rows, seedSeconds, cells })
  }
  const results = await runMatrix(
    options.driver,
    prepared.flatMap((level) => level.cells),
    { ...options.matrix, connections: [16] },
  )
  const levels: GrowthLevel[] = []
  for (const [i, level] of prepared.entries()) {
    const cells = results
      .filter((cell) => cell.key.startsWith(`${i}:`))
      .map((cell) => ({ ...cell, key: cell.key.slice(`${i}:`.length) }))
    await seedSessions(level.db, {
      userId: level.user.id,
      tag: 'ended',
      tokens: PURGE_SESSIONS,
      ended: true,
      perSession: 1,
    })
    const start = performance.now()
    const purged = await call(level.issuer, '/bench/purge', { method: 'POST' })
    const purgeMs = performance.now() - start
    levels.push({
      rows: level.rows,
      seedSeconds: level.seedSeconds,
      cells,
      purgeMs,
      purged: purged.sessions,
    })
  }
  return { levels }
}
