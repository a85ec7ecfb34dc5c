import { env } from 'cloudflare:workers'
import { createApp } from './app'
import { createIssuer } from './issuer'
import { runScheduled } from './scheduled'
import type { IssuerEnv } from './issuer'

// Parsed at start-up: a bad or missing value stops the worker here, naming the value.
const issuer = createIssuer(env as unknown as IssuerEnv)
const app = createApp(issuer)

export default {
  fetch: app.fetch,
  scheduled(_controller, _env, ctx) {
    ctx.waitUntil(runScheduled(issuer))
  },
} satisfies ExportedHandler
