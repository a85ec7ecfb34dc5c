import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { cpuSeconds } from './proc.ts'
import type { FromLoad, LoadResult, LoadSpec, ToLoad } from './load-protocol.ts'

/** A load run as the bench reports it: throughput, latency, and the server's CPU per request. */
export type Measured = LoadResult & {
  rps: number
  /** workerd CPU (user + system, every thread) over the run, divided by the responses. */
  cpuUsPerRequest: number
}

export type Driver = {
  pool(name: string, values: string[]): void
  run(spec: LoadSpec): Promise<Measured>
  /** Several runs at once (the soak's mixed load); CPU is not split between them. */
  runTogether(specs: LoadSpec[]): Promise<LoadResult[]>
  close(): void
}

/** Forks the load generator (bench/load.ts) as its own process, so it never shares the server's. */
export function createDriver(workerdPid: number): Driver {
  const child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const waiting = new Map<number, (results: LoadResult[]) => void>()
  let nextId = 0
  child.on('message', (message: FromLoad) => waiting.get(message.id)?.(message.results))
  child.on('exit', (code) => {
    if (waiting.size > 0) throw new Error(`bench: the load generator exited (${code})`)
  })
  const send = (message: ToLoad) => child.send(message)
  const runTogether = (specs: LoadSpec[]) =>
    new Promise<LoadResult[]>((resolve) => {
      const id = nextId++
      waiting.set(id, (results) => {
        waiting.delete(id)
        resolve(results)
      })
      send({ type: 'run', id, specs })
    })
  return {
    pool: (name, values) => send({ type: 'pool', name, values }),
    async run(spec) {
      const before = cpuSeconds(workerdPid)
      const [result] = await runTogether([spec])
      const cpu = cpuSeconds(workerdPid) - before
      await settle(workerdPid)
      return {
        ...result!,
        rps: result!.ok / result!.seconds,
        cpuUsPerRequest: (cpu * 1e6) / Math.max(1, result!.total),
      }
    },
    runTogether,
    close: () => child.kill(),
  }
}

/** One run in a line, for the progress log. */
export function describeRun(run: Measured): string {
  const failed = run.errors + run.timeouts
  return (
    `${Math.round(run.rps)} req/s, ${Math.round(run.cpuUsPerRequest)} µs cpu/req` +
    (failed > 0 ? `, ${run.errors} errors (${run.timeouts} time-outs)` : '') +
    (run.ok < run.total ? `, ${run.total - run.ok} unexpected ${JSON.stringify(run.statuses)}` : '')
  )
}

/**
 * Waits until workerd is idle: requests the load generator abandoned at the end of a run are
 * still being served (16 abandoned logins hash passwords for seconds and starve every worker in
 * the process), and must not be billed to the next run.
 */
export async function settle(workerdPid: number, maxSeconds = 20): Promise<void> {
  const deadline = performance.now() + maxSeconds * 1000
  while (performance.now() < deadline) {
    const before = cpuSeconds(workerdPid)
    await new Promise((resolve) => setTimeout(resolve, 100))
    // Under 10% of a core over 100 ms: idle but for timers and the clock's granularity.
    if (cpuSeconds(workerdPid) - before < 0.011) return
  }
}
