import type { CellResult } from './matrix.ts'
import type { RoundTrips } from './round-trips.ts'
import type { Spread } from './stats.ts'
import type { Target } from './targets.ts'

/** The parts of a `bench/results/*.json` file a comparison reads. */
export type SavedRun = {
  meta: { date: string; commit: string; dirty: boolean }
  cells: Pick<CellResult, 'key' | 'label' | 'connections' | 'rps' | 'cpuUsPerRequest'>[]
  roundTrips: RoundTrips
  /** Files written before targets had an `id` are matched by name. */
  targets: (Omit<Target, 'id'> & { id?: string })[]
}

export type FigureChange = {
  label: string
  connections: number
  rps: { before: number; after: number; change: number }
  cpuUs: { before: number; after: number; change: number }
  /** Whether either figure's min–max ranges of the two runs do not overlap: a change, not noise. */
  beyondSpread: boolean
}

export type Comparison = {
  figures: FigureChange[]
  /** Cells in only one of the two runs (a route added or removed between them). */
  unmatched: string[]
  roundTrips: { operation: keyof RoundTrips; before: number; after: number }[]
  /** Targets whose PASS/MISS differs between the runs. */
  flipped: { name: string; before: string; after: string; pass: boolean }[]
}

const overlaps = (a: Spread, b: Spread) => a.min <= b.max && b.min <= a.max

/** Every figure the two runs share, old against new; the round trips and targets that changed. */
export function compareRuns(before: SavedRun, after: SavedRun): Comparison {
  const id = (cell: { key: string; connections: number }) => `${cell.key}@${cell.connections}`
  const earlier = new Map(before.cells.map((cell) => [id(cell), cell]))
  const figures: FigureChange[] = []
  const unmatched: string[] = []
  const name = (cell: { label: string; connections: number }) =>
    `${cell.label} c${cell.connections}`
  for (const cell of after.cells) {
    const old = earlier.get(id(cell))
    earlier.delete(id(cell))
    if (!old) {
      unmatched.push(name(cell))
      continue
    }
    const change = (from: number, to: number) => ({
      before: from,
      after: to,
      change: to / from - 1,
    })
    figures.push({
      label: cell.label,
      connections: cell.connections,
      rps: change(old.rps.median, cell.rps.median),
      cpuUs: change(old.cpuUsPerRequest.median, cell.cpuUsPerRequest.median),
      beyondSpread:
        !overlaps(old.rps, cell.rps) || !overlaps(old.cpuUsPerRequest, cell.cpuUsPerRequest),
    })
  }
  unmatched.push(...[...earlier.values()].map(name))
  const roundTrips = (Object.keys(after.roundTrips) as (keyof RoundTrips)[])
    .filter((op) => before.roundTrips[op] !== after.roundTrips[op])
    .map((op) => ({ operation: op, before: before.roundTrips[op], after: after.roundTrips[op] }))
  // By id; by name where the earlier file predates ids (names carry figures, so only stable ones).
  const byId = new Map(before.targets.map((target) => [target.id, target]))
  const byName = new Map(before.targets.map((target) => [target.name, target]))
  const flipped = after.targets.flatMap((target) => {
    const old = (target.id && byId.get(target.id)) || byName.get(target.name)
    if (!old || old.pass === target.pass) return []
    return [{ name: target.name, before: old.measured, after: target.measured, pass: target.pass }]
  })
  return { figures, unmatched, roundTrips, flipped }
}
