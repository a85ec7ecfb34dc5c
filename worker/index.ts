import { env } from 'cloudflare:workers'
import { createApp } from './app'
import { createIssuer } from './issuer'
import { purgeEndedSessions } from './sessions/purge'
import type { IssuerEnv } from './issuer'

// Parsed at start-up: a bad or missing value stops the worker here, naming the value.
const issuer = createIssuer(env as unknown as IssuerEnv)
const app = createApp(issuer)

export default {
  fetch: app.fetch,
  async scheduled(_controller, _env, ctx) {
    ctx.waitUntil(
      purgeEndedSessions(issuer).then((purged) =>
        console.log(JSON.stringify({ level: 'info', msg: 'purged ended sessions', purged })),
      ),
    )
  },
} satisfies ExportedHandler
