import { ALGS } from './fixtures.ts'
import type { Alg } from './fixtures.ts'
import type { CryptoFloor } from './crypto-floor.ts'
import type { GrowthResult } from './growth.ts'
import type { CellResult } from './matrix.ts'
import type { Propagation } from './propagation.ts'
import type { RoundTrips } from './round-trips.ts'
import type { SoakResult } from './soak.ts'

/** `id` stays the same from run to run (the name carries figures), so runs can be compared. */
export type Target = { id: string; name: string; measured: string; goal: string; pass: boolean }

// Soak: growth beyond both of these is called growth; below either is noise.
const HEAP_SLACK = { bytes: 1 << 20, pct: 10 }
const RSS_SLACK = { bytes: 8 << 20, pct: 10 }

/** What a figure is held against: a route or a computed floor, by throughput and by CPU. */
export type Floor = { name: string; rps: number; cpuUs: number }

/** A figure against its floor: throughput ratio, and CPU ratio (floor CPU / figure's CPU). */
export type Versus = { floor: Floor; rps: number; cpu: number }

export const cellOf = (cells: CellResult[], key: string, connections: number) =>
  cells.find((c) => c.key === key && c.connections === connections)

/**
 * The floor of each figure: the bare route, 1/(bare + verify), stateless mode (for feed mode),
 * refresh's floor, 1/password hash.
 */
export function floorOf(
  cells: CellResult[],
  crypto: CryptoFloor,
  key: string,
  connections: number,
): Floor | undefined {
  const route = (floorKey: string, name: string) => {
    const cell = cellOf(cells, floorKey, connections)
    return cell && { name, rps: cell.rps.median, cpuUs: cell.cpuUsPerRequest.median }
  }
  const [group, kind, alg] = key.split('.') as [string, string, string]
  if (group === 'verify' && kind === 'in-request') {
    return alg === 'none' ? undefined : route('verify.in-request.none', 'verify none')
  }
  if (group === 'verify' && kind === 'unique') {
    const bare = route('verify.bare', 'bare')
    const verify = crypto.verify[alg as Alg]
    return (
      bare && {
        name: `1/(bare + ${verify.toFixed(0)} µs verify)`,
        rps: 1 / (1 / bare.rps + verify / 1e6),
        cpuUs: bare.cpuUs + verify,
      }
    )
  }
  // Feed mode is held against what it adds to: stateless mode with the same reused token.
  if (group === 'verify' && kind === 'feed') {
    return route(`verify.reused.${alg}`, `stateless reused ${alg}`)
  }
  if (group === 'verify' && kind !== 'bare') return route('verify.bare', 'bare')
  if (kind === 'me' || kind === 'refresh-floor' || kind === 'trpc-floor') {
    return route('issuer.bare', 'issuer bare')
  }
  if (kind === 'refresh') return route('issuer.refresh-floor', 'refresh floor')
  if (kind === 'login')
    return { name: '1/hash', rps: 1e6 / crypto.passwordHash, cpuUs: crypto.passwordHash }
  return undefined
}

export function versus(
  cells: CellResult[],
  crypto: CryptoFloor,
  key: string,
  connections: number,
): Versus | undefined {
  const cell = cellOf(cells, key, connections)
  const floor = floorOf(cells, crypto, key, connections)
  if (!cell || !floor) return undefined
  return {
    floor,
    rps: cell.rps.median / floor.rps,
    cpu: floor.cpuUs / cell.cpuUsPerRequest.median,
  }
}

/** The issues' targets (#7, #15), each PASS or MISS. A MISS is reported, never an exit code. */
export function checkTargets(input: {
  cells: CellResult[]
  connections: number[]
  crypto: CryptoFloor
  roundTrips: RoundTrips
  propagation: Propagation
  growth: GrowthResult | undefined
  soak: SoakResult | undefined
}): Target[] {
  const { cells, crypto, roundTrips: rt } = input
  const targets: Target[] = [
    trips('refresh', 'D1 round trips: refresh', rt.refresh, '= 1', rt.refresh === 1),
    trips('login', 'D1 round trips: login', rt.login, '≤ 2', rt.login <= 2),
    trips('authed', 'D1 round trips: authed call (auth.me)', rt.authed, '= 1', rt.authed === 1),
    trips('logout', 'D1 round trips: logout', rt.logout, '= 1', rt.logout === 1),
  ]
  // Throughput decides, as the issue states them; the CPU ratio rides along (steadier here).
  const against = (name: string, key: string, c: number, least: number): Target => {
    const v = versus(cells, crypto, key, c)
    const value = v?.rps ?? NaN
    return {
      id: `${key}@${c}`,
      name: `${name} c${c} vs ${v?.floor.name ?? '?'}`,
      measured: `${value.toFixed(2)}× (cpu ${v?.cpu.toFixed(2) ?? '?'}×)`,
      goal: `≥ ${least}×`,
      pass: Number.isFinite(value) && value >= least,
    }
  }
  for (const c of input.connections) {
    for (const alg of ALGS) {
      targets.push(against(`verify reused ${alg}`, `verify.reused.${alg}`, c, 0.9))
      targets.push(against(`verify unique ${alg}`, `verify.unique.${alg}`, c, 0.85))
    }
    targets.push(against('verify feed ES256', 'verify.feed.ES256', c, 0.9))
    targets.push(against('auth.refresh', 'issuer.refresh', c, 0.7))
  }
  const { ms, feedInterval, skipped } = input.propagation
  if (!skipped && ms.length > 0) {
    const worst = Math.max(...ms)
    const goal = (feedInterval + 1) * 1000
    targets.push({
      id: 'feed.propagation',
      name: `sign-out to the first 401 at a feed-mode verifier, worst of ${ms.length}`,
      measured: Number.isFinite(worst) ? `${Math.round(worst).toLocaleString('en')} ms` : 'never',
      goal: `≤ ${goal.toLocaleString('en')} ms (feedInterval + 1 s)`,
      pass: worst <= goal,
    })
  }
  const levels = input.growth?.levels ?? []
  if (levels.length >= 2) {
    const [small, large] = [levels[0]!, levels[levels.length - 1]!]
    for (const key of ['issuer.refresh', 'issuer.me']) {
      const p50 = (level: typeof small) => level.cells.find((c) => c.key === key)!.p50.median
      const grown = p50(large) / p50(small)
      const rows = (level: typeof small) => level.rows.refreshTokens.toLocaleString('en')
      targets.push({
        id: `growth.${key}`,
        name: `growth ${key.slice(7)} p50 at ${rows(large)} vs ${rows(small)} rows`,
        measured: `${grown.toFixed(2)}×`,
        goal: '≤ 1.25×',
        pass: Number.isFinite(grown) && grown <= 1.25,
      })
    }
  }
  if (input.soak) {
    const { heap, rss, seconds } = input.soak
    for (const [worker, window] of Object.entries(heap ?? {})) {
      const name = `soak ${seconds} s: ${worker} heap after GC`
      targets.push(memory(`soak.heap.${worker}`, name, window, HEAP_SLACK))
    }
    targets.push(memory('soak.rss', `soak ${seconds} s: workerd RSS`, rss, RSS_SLACK))
  }
  return targets
}

function trips(op: string, name: string, value: number, goal: string, pass: boolean): Target {
  return { id: `round-trips.${op}`, name, measured: String(value), goal, pass }
}

function memory(
  id: string,
  name: string,
  window: { first: number; last: number; growth: number; growthPct: number },
  slack: { bytes: number; pct: number },
): Target {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1)
  return {
    id,
    name,
    measured: `${mib(window.first)} → ${mib(window.last)} MiB (${window.growthPct >= 0 ? '+' : ''}${window.growthPct.toFixed(1)}%)`,
    goal: `growth ≤ ${mib(slack.bytes)} MiB or ${slack.pct}%`,
    pass: window.growth <= slack.bytes || window.growthPct <= slack.pct,
  }
}
