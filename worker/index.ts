import { WorkerEntrypoint, env } from 'cloudflare:workers'
import { createApp } from './app.ts'
import { createIssuer } from './issuer.ts'
import { startSessionOverRpc } from './rpc/session-service.ts'
import { runScheduled } from './scheduled.ts'
import type { IssuerEnv } from './issuer.ts'
import type { SessionServiceProps, SessionServiceResult } from './rpc/session-service.ts'

// Parsed at start-up: a bad or missing value stops the worker here, naming the value.
const issuer = createIssuer(env as unknown as IssuerEnv)
const app = createApp(issuer)

export default {
  fetch: app.fetch,
  scheduled(_controller, _env, ctx) {
    ctx.waitUntil(runScheduled(issuer))
  },
} satisfies ExportedHandler

/**
 * Sessions for users another trusted worker has authenticated, over a service binding only
 * (`services = [{ binding, service = "rotor", entrypoint = "SessionService" }]`): no route
 * reaches it. README: Sessions from another system.
 */
export class SessionService extends WorkerEntrypoint<Env, SessionServiceProps> {
  startSession(input: unknown): Promise<SessionServiceResult> {
    return startSessionOverRpc(issuer, input, this.ctx.props)
  }
}
