import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'
import { writeDemoScriptOrExit } from './scripts/lib/demo-script.ts'
import { writeIsolatedWranglerConfig } from './scripts/lib/isolated-wrangler-config.ts'
import { generateKeySet } from './scripts/lib/signing-keys.ts'

// The worker imports the demo page's bundled script, which is generated, not committed; the
// workerd project does not run wrangler's [build], so it is built here before the worker loads.
await writeDemoScriptOrExit()

// wrangler.toml read in place would bring a developer's .dev.vars (and .env) with it: tests must
// not depend on local files, so workerd gets a copy of it in a directory of its own.
const wranglerConfig = await writeIsolatedWranglerConfig('wrangler.toml', '.wrangler/vitest')
const migrations = await readD1Migrations('db/migrations')
const signingKeys = JSON.stringify(await generateKeySet())
const introspectionSecret = crypto.randomUUID() + crypto.randomUUID()
const mfaEncryptionKey = crypto.randomUUID() + crypto.randomUUID()
// Lazy migration's upstream: a password-service worker of the tests' own behind a real service
// binding. Auxiliary workers load as plain JavaScript, so it is bundled here. The issuer under
// test gets it only where a test passes it as UPSTREAM_PASSWORDS.
const upstreamSecret = crypto.randomUUID() + crypto.randomUUID()
const upstreamBuild = await build({
  entryPoints: ['test/worker/upstream/password-service.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['workerd', 'worker'],
  write: false,
  logLevel: 'silent',
})
const upstreamWorker = {
  name: 'upstream-passwords',
  modules: true,
  script: upstreamBuild.outputFiles[0]!.text,
  compatibilityDate: '2026-11-01',
  bindings: { UPSTREAM_SECRET: upstreamSecret },
}

// Auxiliary workers beside the issuer (test/worker/identity/workers): an OpenID provider whose
// JWKS the issuer fetches through a service binding, and a trusted backend whose binding reaches
// the issuer's SessionService entrypoint. Miniflare runs them as given, so they are bundled here.
async function auxiliaryWorker(
  name: string,
  serviceBindings: Record<
    string,
    { name: string; entrypoint: string; props: Record<string, unknown> }
  > = {},
) {
  const outfile = `.wrangler/vitest/${name}.js`
  await build({
    entryPoints: [`test/worker/identity/workers/${name}.ts`],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile,
    logLevel: 'warning',
  })
  return {
    name,
    modules: true,
    scriptPath: outfile,
    compatibilityDate: '2026-11-01',
    serviceBindings,
  }
}
const auxiliaryWorkers = [
  await auxiliaryWorker('oidc-provider'),
  await auxiliaryWorker('trusted-backend', {
    // The worker under test runs as the pool's runner, named after the project.
    ROTOR: {
      name: 'vitest-plugin-runner-workerd',
      entrypoint: 'SessionService',
      props: { caller: 'trusted-backend' },
    },
  }),
]
// The package's own names (the example imports `rotor/verify`) resolve to the sources, as in
// tsconfig.json's `paths`: no build before a test. test/consumer checks the built package.
const packageSources = {
  alias: ['client', 'contract', 'verify'].map((entry) => ({
    find: `rotor/${entry}`,
    replacement: fileURLToPath(new URL(`./${entry}/index.ts`, import.meta.url)),
  })),
}

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: wranglerConfig },
            miniflare: {
              bindings: {
                SIGNING_KEYS: signingKeys,
                INTROSPECTION_SECRET: introspectionSecret,
                MFA_ENCRYPTION_KEY: mfaEncryptionKey,
                TEST_MIGRATIONS: migrations,
                TEST_UPSTREAM_SECRET: upstreamSecret,
              },
              serviceBindings: {
                TEST_UPSTREAM: 'upstream-passwords',
                TEST_OIDC_PROVIDER: 'oidc-provider',
                TEST_BACKEND: 'trusted-backend',
              },
              workers: [upstreamWorker, ...auxiliaryWorkers],
            },
          }),
        ],
        resolve: packageSources,
        test: {
          name: 'workerd',
          isolate: false,
          // test/client/real-issuer: rotor/client against the real issuer on the local D1.
          include: [
            'test/worker/**/*.test.ts',
            'test/verify/**/*.test.ts',
            'test/client/real-issuer/**/*.test.ts',
          ],
          setupFiles: ['test/worker/apply-migrations.ts'],
        },
      },
      {
        resolve: packageSources,
        test: {
          name: 'node',
          include: [
            'test/scripts/**/*.test.ts',
            'test/client/**/*.test.ts',
            'test/bench/**/*.test.ts',
          ],
          exclude: [...configDefaults.exclude, 'test/client/real-issuer/**'],
          environment: 'node',
        },
      },
      {
        resolve: packageSources,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The built package, packed and installed into a fresh project: no aliases to sources.
        test: {
          name: 'consumer',
          include: ['test/consumer/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
