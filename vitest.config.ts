import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { writeDemoScriptOrExit } from './scripts/lib/demo-script.ts'
import { generateKeySet } from './scripts/lib/signing-keys.ts'

// The worker imports the demo page's bundled script, which is generated, not committed; the
// workerd project does not run wrangler's [build], so it is built here before the worker loads.
await writeDemoScriptOrExit()

const migrations = await readD1Migrations('db/migrations')
const signingKeys = JSON.stringify(await generateKeySet())
const introspectionSecret = crypto.randomUUID() + crypto.randomUUID()

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                SIGNING_KEYS: signingKeys,
                INTROSPECTION_SECRET: introspectionSecret,
                TEST_MIGRATIONS: migrations,
              },
            },
          }),
        ],
        test: {
          name: 'workerd',
          include: ['test/worker/**/*.test.ts', 'test/verify/**/*.test.ts'],
          setupFiles: ['test/worker/apply-migrations.ts'],
        },
      },
      {
        test: {
          name: 'node',
          include: [
            'test/scripts/**/*.test.ts',
            'test/client/**/*.test.ts',
            'test/bench/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
