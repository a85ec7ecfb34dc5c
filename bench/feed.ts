import { feedTiming } from '../worker/feed/revocation-feed.ts'
import { FEED_POPULATIONS, REVOKED_SHARE, measureFeedSizes } from './feed-sizes.ts'
import { runFeedIssuer } from './feed-issuer.ts'
import { simulatePolling } from './feed-polling.ts'
import { formatCell } from './report.ts'
import type { Driver } from './driver.ts'
import type { FeedIssuerResult } from './feed-issuer.ts'
import type { PollingCost } from './feed-polling.ts'
import type { FeedSize } from './feed-sizes.ts'
import type { MatrixOptions } from './matrix.ts'
import type { Miniflare } from 'miniflare'

/** The revocation feed's figures (README: Revocation feed): sizes, the issuer's cost, polling. */
export type FeedReport = {
  sizes: FeedSize[]
  issuer: FeedIssuerResult
  polling: { sessions: number; revocationsPerSecond: number; costs: PollingCost[] }[]
}

export const VERIFIER_COUNTS = [1, 100, 10_000] as const
export const ISSUER_ISOLATES = [1, 10, 100] as const
/** The issuer's defaults: a 900 s access token, 60 s re-sign. */
const WINDOW = feedTiming({ accessTokenTtl: 900, revocationFeedResign: 60 }).window

export async function runFeedBench(options: {
  mf: Miniflare
  driver: Driver
  feedUrl: URL
  mainUrl: URL
  matrix: Omit<MatrixOptions, 'connections'>
  log: (line: string) => void
}): Promise<FeedReport> {
  options.log('feed: sizes from the issuer’s builder')
  const sizes = await measureFeedSizes()
  const issuer = await runFeedIssuer({ ...options, sessions: FEED_POPULATIONS.at(-1)! })
  options.log('feed: polling, simulated')
  const polling = []
  for (const size of sizes) {
    // 1 % of the sessions revoked within the window: that many revocations per window.
    const revocationsPerSecond = (size.sessions * REVOKED_SHARE) / WINDOW
    const costs = []
    for (const verifiers of VERIFIER_COUNTS) {
      for (const issuerIsolates of ISSUER_ISOLATES) {
        costs.push(
          await simulatePolling({
            verifiers,
            issuerIsolates,
            revocationsPerSecond,
            feedBytes: size.statusList.bytes,
            seconds: 120,
          }),
        )
      }
    }
    polling.push({ sessions: size.sessions, revocationsPerSecond, costs })
  }
  return { sizes, issuer, polling }
}

const int = (n: number) => Math.round(n).toLocaleString('en')
const num = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : int(n))
const bytes = (n: number) =>
  n < 1024 ? `${int(n)} B` : n < 2 ** 20 ? `${num(n / 1024)} KiB` : `${num(n / 2 ** 20)} MiB`

export function formatFeedReport(report: FeedReport): string[] {
  const lines = [
    'Revocation feed: size per poll, 1 % of sessions revoked in the window (the issuer’s builder, ES256)',
    '  sessions     revoked  bit list    status list JWT (gzip)   sid list JWT (gzip)      sid / status',
  ]
  for (const s of report.sizes) {
    lines.push(
      `  ${int(s.sessions).padEnd(12)} ${int(s.revoked).padStart(7)}  ${bytes(s.listBytes).padEnd(10)}  ` +
        `${`${bytes(s.statusList.bytes)} (${bytes(s.statusList.gzip)})`.padEnd(23)}  ` +
        `${`${bytes(s.sidList.bytes)} (${bytes(s.sidList.gzip)})`.padEnd(23)}  ` +
        `${(s.sidList.bytes / s.statusList.bytes).toFixed(1)}×`,
    )
  }
  const { issuer } = report
  lines.push(
    '',
    `Revocation feed at the issuer: ${int(issuer.sessions)} sessions in D1, ${int(issuer.revoked)} revoked ` +
      `(route answers ${bytes(issuer.routeBytes)}; a build is ${issuer.perBuild.roundTrips} round trip, ` +
      `${int(issuer.perBuild.rowsRead)} rows read)`,
  )
  for (const cell of issuer.cells) lines.push(`  ${formatCell(cell)}`)
  const cpu = (key: string) => issuer.cells.find((cell) => cell.key === key)?.cpuUsPerRequest.median
  const [build, read, bare] = [cpu('feed.build'), cpu('feed.read'), cpu('feed.bare')]
  if (build !== undefined && read !== undefined && bare !== undefined) {
    lines.push(
      `  one build ${int(build)} µs CPU = its D1 read ${int(read - bare)} (local D1 runs in workerd: ` +
        `SQLite's work is billed here) + list, deflate and signature ${int(build - read)} + bare ${int(bare)}`,
    )
  }
  lines.push(
    '',
    'Revocation feed polling (simulated: verifier isolates poll every 5 s with their ETag onto random',
    'issuer isolates, each running the issuer’s 1 s cache; revocations at 1 % of sessions per window)',
  )
  for (const block of report.polling) {
    const size = report.sizes.find((s) => s.sessions === block.sessions)!
    lines.push(
      `  ${int(block.sessions)} sessions: ${num(block.revocationsPerSecond)} revocations/s, ` +
        `feed ${bytes(size.statusList.bytes)}`,
      `    verifiers  req/s   D1 reads/s at ${ISSUER_ISOLATES.join(' / ')} issuer isolates   ` +
        `304s   bytes/s with 304 / without (10 isolates)`,
    )
    const rowsRead: string[] = []
    for (const verifiers of VERIFIER_COUNTS) {
      const row = block.costs.filter((cost) => cost.verifiers === verifiers)
      const at10 = row.find((cost) => cost.issuerIsolates === 10)!
      const reads = row.map((cost) => num(cost.d1ReadsPerSecond)).join(' / ')
      lines.push(
        `    ${int(verifiers).padEnd(9)}  ${num(at10.requestsPerSecond).padStart(5)}   ${reads.padEnd(40)}  ` +
          `${`${Math.round(at10.notModified * 100)} %`.padStart(4)}   ` +
          `${bytes(at10.bytesPerSecond)} / ${bytes(at10.bytesWithout304)}`,
      )
      // A build reads one row per revoked session and the sequence row (measured above).
      rowsRead.push(int(at10.d1ReadsPerSecond * (size.revoked + 1)))
    }
    lines.push(`    D1 rows read/s at 10 issuer isolates: ${rowsRead.join(' / ')}`)
  }
  return lines
}
