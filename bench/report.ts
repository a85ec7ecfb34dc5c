import { ALGS } from './fixtures.ts'
import { cellOf, versus } from './targets.ts'
import type { CryptoFloor } from './crypto-floor.ts'
import type { GrowthResult } from './growth.ts'
import type { CellResult } from './matrix.ts'
import type { Propagation } from './propagation.ts'
import type { RoundTrips } from './round-trips.ts'
import type { SoakResult } from './soak.ts'
import type { Spread } from './stats.ts'
import type { Target } from './targets.ts'

export type Report = {
  crypto: CryptoFloor
  cells: CellResult[]
  roundTrips: RoundTrips
  propagation: Propagation
  growth: GrowthResult | undefined
  soak: SoakResult | undefined
  cacheBound: string
  targets: Target[]
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–')
const ms = (n: number | null) =>
  n === null || !Number.isFinite(n) ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(1)
const x = (n: number) => `${n.toFixed(2)}×`
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`

/** The whole report as lines of text: every figure beside its floor and the ratio. */
export function formatReport(report: Report): string[] {
  const { crypto } = report
  const lines = ['', 'Crypto floors (per operation, from outside: (t(N) − t(0)) / N)']
  for (const alg of ALGS) {
    lines.push(
      `  ${alg.padEnd(6)} sign ${crypto.sign[alg].toFixed(0)} µs   verify ${crypto.verify[alg].toFixed(0)} µs`,
    )
  }
  lines.push(`  password hash (argon2id 19 MiB, t=2) ${ms(crypto.passwordHash / 1000)} ms`, '')
  lines.push(
    'Throughput: median req/s (min–max of the repetitions), latency, workerd CPU per request',
  )
  for (const cell of report.cells) lines.push(`  ${formatCell(cell)}  ${floorText(cell, report)}`)
  lines.push(...uniqueBreakdown(report.cells, crypto), ...refreshBreakdown(report.cells))
  lines.push(...feedModeLines(report.cells), ...propagationLines(report.propagation))
  const rt = report.roundTrips
  lines.push(
    '',
    'D1 round trips per operation (counting wrapper on the binding, deterministic)',
    `  login ${rt.login}   authed call ${rt.authed}   refresh ${rt.refresh}   logout ${rt.logout}`,
  )
  for (const level of report.growth?.levels ?? []) {
    const rows = `${int(level.rows.refreshTokens)} refresh tokens, ${int(level.rows.sessions)} sessions`
    lines.push('', `Growth: ${rows} (seeded in ${level.seedSeconds.toFixed(1)} s)`)
    for (const cell of level.cells) lines.push(`  ${formatCell(cell)}`)
    lines.push(
      `  purge: ${int(level.purgeMs)} ms per ${int(level.purged)} ended sessions (+ their tokens)`,
    )
  }
  if (report.soak) {
    const { soak } = report
    lines.push(
      '',
      `Soak: ${soak.seconds} s constant load, ${soak.requests.map(int).join(' + ')} requests`,
    )
    lines.push(`  workerd RSS ${mib(soak.rss.first)} → ${mib(soak.rss.last)}`)
    for (const [worker, heap] of Object.entries(soak.heap ?? {})) {
      const series = soak.collected.map((c) => (c.heap[worker]! / 2 ** 20).toFixed(1)).join(', ')
      lines.push(
        `  ${worker} heap after full GC ${mib(heap.first)} → ${mib(heap.last)} (${series} MiB)`,
      )
    }
    if (!soak.heap) lines.push('  heap: not measured (inspector unreachable, or too short a soak)')
  }
  lines.push('', `Cache bound: ${report.cacheBound}`, '', 'Targets (issue 7)')
  for (const t of report.targets) {
    lines.push(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${t.measured} (target ${t.goal})`)
  }
  return lines
}

export function formatCell(cell: CellResult): string {
  const range = (s: Spread) => `${int(s.median)} (${int(s.min)}–${int(s.max)})`
  const failed = cell.failures > 0 ? `  ${int(cell.failures)} failed` : ''
  return (
    `${cell.label.padEnd(36)} c${String(cell.connections).padEnd(3)} ${range(cell.rps).padEnd(26)} req/s` +
    `  p50 ${ms(cell.p50.median).padStart(6)} ms  p99 ${ms(cell.p99.median).padStart(6)} ms` +
    `  cpu ${int(cell.cpuUsPerRequest.median).padStart(5)} µs/req${failed}`
  )
}

function floorText(cell: CellResult, report: Report): string {
  const v = versus(report.cells, report.crypto, cell.key, cell.connections)
  if (!v) return ''
  const at = cell.key.startsWith('verify.unique') || cell.key === 'issuer.login'
  const floorRps = at
    ? ` = ${v.floor.rps < 100 ? v.floor.rps.toFixed(1) : int(v.floor.rps)} req/s`
    : ''
  return `= ${x(v.rps)} ${v.floor.name}${floorRps} (cpu ${x(v.cpu)})`
}

const cpuOf = (cells: CellResult[], key: string, c: number) =>
  cellOf(cells, key, c)?.cpuUsPerRequest.median

/**
 * Unique-token verification's CPU per request split against figures from the same run: the bare
 * route, one verification as it costs inside a request under load (a route verifying one token,
 * less the same route verifying none), and the rest: the middleware and its token cache.
 */
function uniqueBreakdown(cells: CellResult[], crypto: CryptoFloor): string[] {
  const lines: string[] = []
  const none = cpuOf(cells, 'verify.in-request.none', 16)
  const bare = cpuOf(cells, 'verify.bare', 16)
  for (const alg of ALGS) {
    const unique = cpuOf(cells, `verify.unique.${alg}`, 16)
    const one = cpuOf(cells, `verify.in-request.${alg}`, 16)
    if ([none, bare, unique, one].some((n) => n === undefined)) continue
    const inRequest = one! - none!
    lines.push(
      `  ${alg.padEnd(6)} c16: ${int(unique!)} µs = bare ${int(bare!)} + one verify in a request ` +
        `${int(inRequest)} (in a tight loop: ${int(crypto.verify[alg])}) + the rest ` +
        `${int(unique! - bare! - inRequest)} (µs CPU per request)`,
    )
  }
  return lines.length > 0 ? ['', 'Where unique-token verification goes', ...lines] : []
}

/**
 * auth.refresh's CPU per request split against figures from the same run: its floor (one batch,
 * one signature), the framework (a tRPC call refused before D1, less the bare route), and the
 * rest: the rotation's own statements and token crypto beyond the floor's.
 */
function refreshBreakdown(cells: CellResult[]): string[] {
  const cpu = (key: string, c: number) => cpuOf(cells, key, c)
  const lines: string[] = []
  for (const c of new Set(
    cells.filter((cell) => cell.key === 'issuer.refresh').map((cell) => cell.connections),
  )) {
    const [refresh, floor, trpc, bare] = ['refresh', 'refresh-floor', 'trpc-floor', 'bare'].map(
      (kind) => cpu(`issuer.${kind}`, c),
    )
    if ([refresh, floor, trpc, bare].some((n) => n === undefined)) continue
    const framework = trpc! - bare!
    const rest = refresh! - floor! - framework
    lines.push(
      `  auth.refresh c${c}: ${int(refresh!)} µs = floor ${int(floor!)} + tRPC framework ${int(framework)}` +
        ` + rotation beyond the floor ${int(rest)} (µs CPU per request)`,
    )
  }
  return lines.length > 0 ? ['', 'Where auth.refresh goes', ...lines] : []
}

/** Feed mode beside the two it sits between (issue 15): throughput as a ratio of each. */
function feedModeLines(cells: CellResult[]): string[] {
  const lines: string[] = []
  for (const feed of cells.filter((cell) => cell.key === 'verify.feed.ES256')) {
    const c = feed.connections
    const [stateless, strict] = ['verify.reused.ES256', 'verify.strict.ES256'].map((key) =>
      cellOf(cells, key, c),
    )
    if (!stateless || !strict) continue
    const ratio = (other: CellResult) => x(feed.rps.median / other.rps.median)
    lines.push(
      `  c${c}: feed ${int(feed.rps.median)} req/s = ${ratio(stateless)} stateless ` +
        `(${int(stateless.rps.median)}), ${ratio(strict)} strict (${int(strict.rps.median)}); ` +
        `cpu ${int(feed.cpuUsPerRequest.median)} µs vs ${int(stateless.cpuUsPerRequest.median)} ` +
        `and ${int(strict.cpuUsPerRequest.median)}`,
    )
  }
  return lines.length > 0
    ? ['', 'Feed mode against stateless and strict (reused ES256 token)', ...lines]
    : []
}

function propagationLines({ ms, feedInterval, skipped }: Propagation): string[] {
  const title = `Sign-out propagation: auth.logout sent → first 401 at /feed/whoami over HTTP (feedInterval ${feedInterval} s)`
  if (skipped) return ['', title, `  skipped: ${skipped}`]
  const sorted = [...ms].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN
  return [
    '',
    title,
    `  ${ms.map(int).join(', ')} ms; median ${int(median)}, worst ${int(sorted.at(-1) ?? NaN)}`,
  ]
}
