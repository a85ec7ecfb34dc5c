import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { countingD1 } from './worker/counting-d1.ts'
import { createApp } from '../worker/app.ts'
import { createIssuer } from '../worker/issuer.ts'
import { feedRoutes } from './worker/feed-routes.ts'
import { fixtureRoutes } from './worker/fixture-routes.ts'
import { floorRoutes } from './worker/floor-routes.ts'
import type { IssuerEnv } from '../worker/issuer.ts'

// The real issuer, built as worker/index.ts builds it, with the D1 binding wrapped to count round
// trips (the test suite's wrapper: a Proxy, no I/O of its own). `/bench/*` answers before the app:
// floors, fixtures and the counter, and feed mode's fixtures. Never deployed: bench/run.ts bundles it for Miniflare only.
const issuerEnv = env as unknown as IssuerEnv
const { binding, counter } = countingD1(issuerEnv.DB)
const issuer = createIssuer({ ...issuerEnv, DB: binding })
const app = createApp(issuer)

const bench = new Hono()
bench.route('/bench', floorRoutes(issuer, issuerEnv))
bench.route('/bench', fixtureRoutes(issuer, issuerEnv, counter))
bench.route('/', feedRoutes(issuer, app))
bench.all('*', (c) => app.fetch(c.req.raw))

export default { fetch: bench.fetch } satisfies ExportedHandler
