import type { D1Migration } from 'cloudflare:test'

declare global {
  namespace Cloudflare {
    interface Env {
      /** Migrations read at config time by vitest.config.ts, applied by the setup file. */
      TEST_MIGRATIONS: D1Migration[]
      INTROSPECTION_SECRET: string
      /** The tests' own password service (test/worker/upstream/password-service.ts). */
      TEST_UPSTREAM: Fetcher
      /** The Bearer secret it expects. */
      TEST_UPSTREAM_SECRET: string
    }
  }
}
