import { readD1Migrations } from '@cloudflare/vitest-plugin'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Miniflare, convertV4MiniflareOptions } from 'miniflare'
import { generateKeySet } from '../scripts/lib/signing-keys.ts'
import { FLOOR_TABLE_SQL } from './constants.ts'
import type { Bundles } from './build.ts'

export type BenchServer = {
  mf: Miniflare
  /** The issuer (bench worker) and the resource worker, each on its own 127.0.0.1 port. */
  issuerUrl: URL
  resourceUrl: URL
  /** One more issuer per growth level, `growth-<i>`, each with a D1 database of its own. */
  growthUrls: URL[]
  /** One more issuer, `feed`, whose database the revocation-feed figures seed (bench/feed-issuer.ts). */
  feedUrl: URL
  inspectorPort: number
  dispose(): Promise<void>
}

export const ISSUER = 'http://rotor.bench'
// Rate limits lifted ("<count>/<seconds>", 6 digits at most): the bench measures cost, not limits.
const LIFTED = '999999/60'
const COMPAT = { compatibilityDate: '2026-11-01', compatibilityFlags: ['nodejs_compat'] }
const SOCKET = [{ host: '127.0.0.1', port: 0 }]

/**
 * Every worker in one workerd under Miniflare (the engine `wrangler dev` runs, without its dev
 * proxy), request logging off, D1 on disk in `stateDir` with the migrations applied, fresh keys.
 * Each worker gets a direct socket so the load generator reaches it without the entry router.
 * Growth levels get identical issuers over separate databases, so their runs can interleave, and
 * so does the revocation feed's.
 */
export async function startServer(options: {
  bundles: Bundles
  stateDir: string
  root: string
  inspectorPort: number
  growthLevels: number
}): Promise<BenchServer> {
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
  const vars = {
    ISSUER,
    AUDIENCE: 'rotor',
    SIGNING_ALG: 'ES256',
    ALLOWED_ORIGINS: ISSUER,
    SIGNING_KEYS: JSON.stringify(await generateKeySet()),
    INTROSPECTION_SECRET: secret,
    RATE_LIMIT_LOGIN_IP: LIFTED,
    RATE_LIMIT_LOGIN_ACCOUNT: LIFTED,
    RATE_LIMIT_REGISTER_IP: LIFTED,
    RATE_LIMIT_REFRESH_SESSION: LIFTED,
    RATE_LIMIT_REFRESH_IP: LIFTED,
    RATE_LIMIT_REVOKE_IP: LIFTED,
  }
  const issuer = (name: string, database: string) => ({
    ...worker(name, options.bundles.issuer),
    d1Databases: { DB: database },
    bindings: vars,
  })
  const growth = Array.from({ length: options.growthLevels }, (_, i) => `growth-${i}`)
  // Miniflare 5 still takes the v4 option shape through its own converter.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: '127.0.0.1',
      port: 0,
      logRequests: false,
      inspectorPort: options.inspectorPort,
      // A fixed `request.cf`: the default would fetch one from Cloudflare.
      cf: { country: 'NL' },
      resourcePersistencePath: options.stateDir,
      workers: [
        issuer('rotor', 'rotor-bench'),
        {
          ...worker('resource', options.bundles.resource),
          serviceBindings: { ROTOR: 'rotor' },
          bindings: { ISSUER, AUDIENCE: 'rotor', INTROSPECTION_SECRET: secret },
        },
        ...growth.map((name) => issuer(name, `rotor-bench-${name}`)),
        issuer('feed', 'rotor-bench-feed'),
      ],
    }),
  )
  await mf.ready
  const migrations = join(options.root, 'db/migrations')
  for (const name of ['rotor', ...growth, 'feed']) await applyMigrations(mf, name, migrations)
  return {
    mf,
    issuerUrl: await mf.unsafeGetDirectURL('rotor'),
    resourceUrl: await mf.unsafeGetDirectURL('resource'),
    growthUrls: await Promise.all(growth.map((name) => mf.unsafeGetDirectURL(name))),
    feedUrl: await mf.unsafeGetDirectURL('feed'),
    inspectorPort: options.inspectorPort,
    dispose: () => mf.dispose(),
  }
}

function worker(name: string, scriptPath: string) {
  return {
    name,
    // The bundle, then the argon2id binaries esbuild copied beside it (wrangler's CompiledWasm rule).
    modules: [
      { type: 'ESModule' as const, path: scriptPath },
      ...readdirSync(dirname(scriptPath))
        .filter((file) => file.endsWith('.wasm'))
        .map((file) => ({ type: 'CompiledWasm' as const, path: join(dirname(scriptPath), file) })),
    ],
    modulesRoot: dirname(scriptPath),
    ...COMPAT,
    unsafeDirectSockets: SOCKET,
  }
}

/**
 * The migrations in order, read as the test suite reads them (wrangler's own splitter, via
 * `readD1Migrations`), each in one batch, plus the floor table.
 */
async function applyMigrations(mf: Miniflare, workerName: string, dir: string): Promise<void> {
  const db = await mf.getD1Database('DB', workerName)
  for (const migration of await readD1Migrations(dir)) {
    await db.batch(migration.queries.map((query) => db.prepare(query)))
  }
  await db.prepare(FLOOR_TABLE_SQL).run()
}
