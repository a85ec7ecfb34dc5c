import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readArgs } from './args.ts'
import { bundleWorkers } from './build.ts'
import { createDriver, describeRun } from './driver.ts'
import { formatFeedReport, runFeedBench } from './feed.ts'
import { findWorkerdPid } from './proc.ts'
import { startServer } from './server.ts'

// `npm run bench:feed`: the revocation feed's figures alone (`npm run bench` prints them too),
// with the same servers and load flags (--duration, --reps, --warmup).

const args = readArgs(process.argv.slice(2))
const root = fileURLToPath(new URL('..', import.meta.url))
const started = performance.now()
const log = (line: string) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`)

const work = await mkdtemp(join(tmpdir(), 'rotor-bench-feed-'))
const bundles = await bundleWorkers(root, join(work, 'bundle'))
const server = await startServer({
  bundles,
  stateDir: join(work, 'state'),
  root,
  inspectorPort: args.inspectorPort,
  growthLevels: 0,
})
const driver = createDriver(findWorkerdPid())
try {
  const feed = await runFeedBench({
    mf: server.mf,
    driver,
    feedUrl: server.feedUrl,
    mainUrl: server.issuerUrl,
    matrix: {
      duration: args.duration,
      repetitions: args.repetitions,
      warmup: args.warmup,
      onRun: (cell, connections, run) =>
        log(`  ${cell.label} c${connections}: ${describeRun(run)}`),
    },
    log,
  })
  console.log(['', ...formatFeedReport(feed)].join('\n'))
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`)
} finally {
  driver.close()
  await server.dispose()
  await rm(work, { recursive: true, force: true })
}
