import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readArgs } from './args.ts'
import { bundleWorkers } from './build.ts'
import { describeCacheBound, readVerifierDefaults } from './cache-bound.ts'
import { issuerCells, soakCells, verifierCells } from './cells.ts'
import { measureCryptoFloor } from './crypto-floor.ts'
import { createDriver, describeRun } from './driver.ts'
import { formatFeedReport, runFeedBench } from './feed.ts'
import { ALGS, mintAccessTokens, mintFeedTokens, registerUser, startSessions } from './fixtures.ts'
import { runGrowth } from './growth.ts'
import { runMatrix } from './matrix.ts'
import { formatPasswordHashes, measurePasswordHashes } from './password-hashes.ts'
import { measurePropagation } from './propagation.ts'
import { findWorkerdPid } from './proc.ts'
import { formatReport } from './report.ts'
import { countRoundTrips } from './round-trips.ts'
import { startServer } from './server.ts'
import { runSoak } from './soak.ts'
import { writeResults } from './results.ts'
import { checkTargets } from './targets.ts'
import type { Measured } from './driver.ts'
import type { Alg } from './fixtures.ts'
import type { Cell } from './matrix.ts'

// `npm run bench`: issue 7. A report, not a test: a MISS is printed, the exit code stays 0.

const args = readArgs(process.argv.slice(2))
const root = fileURLToPath(new URL('..', import.meta.url))
const started = performance.now()
const log = (line: string) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`)
const REFRESH_SEEDS = 600
const PROPAGATION_RUNS = 5

const work = await mkdtemp(join(tmpdir(), 'rotor-bench-'))
const loadBefore = loadavg()
log(`bundling; state in ${work}`)
const bundles = await bundleWorkers(root, join(work, 'bundle'))
const server = await startServer({
  bundles,
  stateDir: join(work, 'state'),
  root,
  inspectorPort: args.inspectorPort,
  growthLevels: args.rows.length,
})
const workerdPid = findWorkerdPid()
const driver = createDriver(workerdPid)
try {
  const issuer = server.issuerUrl
  const user = await registerUser(issuer)
  const verifier = await readVerifierDefaults(issuer)
  // More distinct tokens than the verifier caches, cycled: every request misses the cache.
  const uniquePool = Math.ceil(verifier.tokenCacheEntries * 1.25)
  log('crypto floors')
  const crypto = await measureCryptoFloor(issuer)
  log('password hashes: one verification per scheme')
  const hashes = await measurePasswordHashes(issuer, workerdPid)
  log('fixtures: access-token pools, sessions')
  const reused = {} as Record<Alg, string>
  for (const alg of ALGS) {
    const tokens = await mintAccessTokens(issuer, alg, uniquePool + 1)
    reused[alg] = tokens.pop()!
    driver.pool(`unique-${alg}`, tokens)
  }
  const sessions = await startSessions(issuer, user, REFRESH_SEEDS + 1)
  driver.pool(
    'refresh-seeds',
    sessions.slice(1).map((pair) => pair.refreshToken),
  )
  const roundTrips = await countRoundTrips(issuer, user)
  const [feedToken] = await mintFeedTokens(issuer, 1)

  const ctx = {
    issuer,
    resource: server.resourceUrl,
    user,
    reused,
    sessionToken: sessions[0]!.accessToken,
    feedToken: feedToken!,
    uniquePool: (alg: Alg) => `unique-${alg}`,
    refreshPool: 'refresh-seeds',
  }
  const cells = [...verifierCells(ctx), ...issuerCells(ctx)]
  const matrixOptions = {
    duration: args.duration,
    repetitions: args.repetitions,
    warmup: args.warmup,
    onRun: (cell: Cell, connections: number, run: Measured) =>
      log(`  ${cell.label} c${connections}: ${describeRun(run)}`),
  }
  log(`load: ${cells.length} routes × c${args.connections.join('/c')} × ${args.repetitions} reps`)
  const results = await runMatrix(driver, cells, {
    ...matrixOptions,
    connections: args.connections,
  })

  log('sign-out propagation to a feed-mode verifier')
  const propagation = await measurePropagation({
    issuer,
    resource: server.resourceUrl,
    user,
    runs: PROPAGATION_RUNS,
  })

  log('revocation feed')
  const feed = await runFeedBench({
    mf: server.mf,
    driver,
    feedUrl: server.feedUrl,
    mainUrl: issuer,
    matrix: matrixOptions,
    log,
  })

  const growth =
    args.rows.length > 0
      ? await runGrowth({
          mf: server.mf,
          driver,
          urls: server.growthUrls,
          rows: args.rows,
          matrix: matrixOptions,
          log,
        })
      : undefined

  let soak
  if (args.soak > 0) {
    log(`soak: ${args.soak} s`)
    // Fresh tokens: the soak may outlive the first ones (ACCESS_TOKEN_TTL).
    driver.pool('soak-ES256', await mintAccessTokens(issuer, 'ES256', uniquePool))
    const [live] = await startSessions(issuer, user, 1)
    const soakCtx = { ...ctx, sessionToken: live!.accessToken, uniquePool: () => 'soak-ES256' }
    soak = await runSoak({
      driver,
      workerdPid,
      inspectorPort: server.inspectorPort,
      workers: ['resource', 'rotor'],
      specs: soakCells(soakCtx).map((cell) => cell.spec(16, args.soak)),
    })
  }

  const targets = checkTargets({
    cells: results,
    connections: args.connections,
    crypto,
    roundTrips,
    propagation,
    growth,
    soak,
  })
  const report = {
    crypto,
    cells: results,
    roundTrips,
    propagation,
    growth,
    soak,
    cacheBound: describeCacheBound(verifier),
    targets,
  }
  const printed = [...formatReport(report), '', ...formatFeedReport(feed)]
  console.log([...printed, '', ...formatPasswordHashes(hashes)].join('\n'))
  const seconds = (performance.now() - started) / 1000
  const { path, meta } = await writeResults(
    root,
    { ...report, feed },
    { args, loadBefore, seconds },
  )
  const loads = [meta.loadavg.before, meta.loadavg.after].map((l) =>
    l.map((n) => n.toFixed(1)).join(' '),
  )
  log(`done in ${seconds.toFixed(0)} s; load average ${loads.join(' → ')}; wrote ${path}`)
} finally {
  driver.close()
  await server.dispose()
  await rm(work, { recursive: true, force: true })
}
