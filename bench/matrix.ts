import { spread } from './stats.ts'
import type { Driver, Measured } from './driver.ts'
import type { LoadSpec } from './load-protocol.ts'
import type { Spread } from './stats.ts'

/** One thing to load: a route at a fixed set of concurrencies. */
export type Cell = {
  key: string
  label: string
  spec: (connections: number, duration: number) => LoadSpec
  /** @default every concurrency of the run */
  connections?: number[]
  /** Seconds at least, for slow routes (login) to complete enough requests. */
  minDuration?: number
  /** No warm-up run: a route whose abandoned requests would cost more than the warm-up gains. */
  noWarmup?: boolean
}

/** The repetitions of one cell at one concurrency, reduced to median with min–max. */
export type CellResult = {
  key: string
  label: string
  connections: number
  rps: Spread
  p50: Spread
  p99: Spread
  cpuUsPerRequest: Spread
  requests: number
  /** Responses that were not 2xx, and socket errors or time-outs, across every repetition. */
  failures: number
  runs: Measured[]
}

export type MatrixOptions = {
  connections: number[]
  duration: number
  repetitions: number
  /** Seconds of unrecorded load per cell first, so every route is compiled and warm. */
  warmup: number
  onRun?: (cell: Cell, connections: number, run: Measured) => void
}

/**
 * Repetitions interleaved (every cell once, then again), so a burst of load from elsewhere on a
 * shared machine smears over all cells instead of sinking one, and a figure and its floor are
 * measured seconds apart.
 */
export async function runMatrix(
  driver: Driver,
  cells: Cell[],
  options: MatrixOptions,
): Promise<CellResult[]> {
  const runs = new Map<string, Measured[]>()
  const plan = cells.flatMap((cell) =>
    (cell.connections ?? options.connections).map((connections) => ({ cell, connections })),
  )
  const durationOf = (cell: Cell) => Math.max(options.duration, cell.minDuration ?? 0)
  if (options.warmup > 0) {
    for (const cell of cells.filter((c) => !c.noWarmup)) {
      await driver.run(cell.spec(16, options.warmup))
    }
  }
  for (let rep = 0; rep < options.repetitions; rep++) {
    for (const { cell, connections } of plan) {
      const run = await driver.run(cell.spec(connections, durationOf(cell)))
      options.onRun?.(cell, connections, run)
      const id = `${cell.key}@${connections}`
      runs.set(id, [...(runs.get(id) ?? []), run])
    }
  }
  return plan.map(({ cell, connections }) => {
    const measured = runs.get(`${cell.key}@${connections}`) ?? []
    return {
      key: cell.key,
      label: cell.label,
      connections,
      rps: spread(measured.map((run) => run.rps)),
      p50: spread(measured.map((run) => run.p50 ?? NaN)),
      p99: spread(measured.map((run) => run.p99 ?? NaN)),
      cpuUsPerRequest: spread(measured.map((run) => run.cpuUsPerRequest)),
      requests: measured.reduce((sum, run) => sum + run.total, 0),
      failures: measured.reduce(
        (sum, run) => sum + run.total - run.ok + run.errors + run.timeouts,
        0,
      ),
      runs: measured,
    }
  })
}
