import { env } from 'cloudflare:workers'
import { createApp } from './app'
import { createIssuer } from './issuer'
import { purgeExpired } from './sessions/purge'
import type { IssuerEnv } from './issuer'

// Parsed at start-up: a bad or missing value stops the worker here, naming the value.
const issuer = createIssuer(env as unknown as IssuerEnv)
const app = createApp(issuer)

export default {
  fetch: app.fetch,
  async scheduled(_controller, _env, ctx) {
    ctx.waitUntil(
      purgeExpired(issuer).then((purged) =>
        console.log(JSON.stringify({ level: 'info', msg: 'purged expired rows', ...purged })),
      ),
    )
  },
} satisfies ExportedHandler
