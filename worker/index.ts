import { env } from 'cloudflare:workers'
import { createApp } from './app.ts'
import { createIssuer } from './issuer.ts'
import { runScheduled } from './scheduled.ts'
import type { IssuerEnv } from './issuer.ts'

// Parsed at start-up: a bad or missing value stops the worker here, naming the value.
const issuer = createIssuer(env as unknown as IssuerEnv)
const app = createApp(issuer)

export default {
  fetch: app.fetch,
  scheduled(_controller, _env, ctx) {
    ctx.waitUntil(runScheduled(issuer))
  },
} satisfies ExportedHandler
