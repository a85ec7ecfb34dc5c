import { env } from 'cloudflare:workers'
import { createResourceApp } from './app.ts'
import type { ResourceEnv } from './app.ts'

// Built once per isolate so the verifier's key cache lives as long as the isolate.
const app = createResourceApp(env as unknown as ResourceEnv)

export default { fetch: app.fetch } satisfies ExportedHandler
