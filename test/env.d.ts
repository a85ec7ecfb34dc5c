import type { D1Migration } from 'cloudflare:test'

declare global {
  namespace Cloudflare {
    interface Env {
      /** Migrations read at config time by vitest.config.ts, applied by the setup file. */
      TEST_MIGRATIONS: D1Migration[]
      INTROSPECTION_SECRET: string
      MFA_ENCRYPTION_KEY: string
      /** The tests' own password service (test/worker/upstream/password-service.ts). */
      TEST_UPSTREAM: Fetcher
      /** The Bearer secret it expects. */
      TEST_UPSTREAM_SECRET: string
      /** The test OpenID provider (test/worker/identity/workers/oidc-provider.ts). */
      TEST_OIDC_PROVIDER: Fetcher
      /** A trusted backend bound to the issuer's SessionService (workers/trusted-backend.ts). */
      TEST_BACKEND: Fetcher
    }
  }
}
