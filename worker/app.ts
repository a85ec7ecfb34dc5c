import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { secureHeaders } from 'hono/secure-headers'
import { ROUTES } from '../contract/index.ts'
import { createDemoRoutes } from './demo/routes.tsx'
import { errorResponse } from './http/error-response.ts'
import { handleLegacyReport } from './http/legacy-report-route.ts'
import { describeError } from './http/log-error.ts'
import { handleOutbox } from './http/outbox-route.ts'
import { requestIdOf } from './http/request-id.ts'
import { revocationFeedResponse } from './http/revocation-feed-route.ts'
import { serveRoute } from './http/route-methods.ts'
import { handleTrpc } from './http/trpc-route.ts'
import { MAX_IMPORT_BODY_BYTES, handleUsersImport } from './http/users-import-route.ts'
import { jwksResponse } from './http/well-known.ts'
import { handleIntrospectionRequest } from './oauth/introspection-endpoint.ts'
import { authorizationServerMetadata } from './oauth/metadata.ts'
import { handleRevocationRequest } from './oauth/revocation-endpoint.ts'
import { handleTokenRequest } from './oauth/token-endpoint.ts'
import type { Issuer } from './issuer.ts'

/** Request bodies on every route stay under this (DESIGN §9). */
export const MAX_BODY_BYTES = 8 * 1024

/** The issuer's HTTP surface. Built once per isolate by `worker/index.ts`, or by tests. */
export function createApp(issuer: Issuer): Hono {
  const app = new Hono()
  // HSTS for a year, the common norm (Hono's default is 180 days).
  app.use(secureHeaders({ strictTransportSecurity: 'max-age=31536000; includeSubDomains' }))
  app.use(
    '/trpc/*',
    cors({
      // Never reflect a foreign origin: only listed origins get credentialed CORS.
      origin: (origin) => (issuer.config.allowedOrigins.includes(origin) ? origin : null),
      credentials: true,
      allowMethods: ['GET', 'POST'],
      // X-App-Version: legacy clients name their version for the migration report.
      allowHeaders: ['content-type', 'authorization', 'x-app-version'],
      // The client reads the server's clock, back-off hints, legacy deprecation and challenges.
      exposeHeaders: ['date', 'retry-after', 'deprecation', 'sunset', 'www-authenticate'],
      maxAge: 600,
    }),
  )
  // One route takes files (an operator's user import); every other body stays small.
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () =>
        errorResponse('PAYLOAD_TOO_LARGE', `Request body must be at most ${maxSize} bytes`),
    })
  const [smallBody, importBody] = [limit(MAX_BODY_BYTES), limit(MAX_IMPORT_BODY_BYTES)]
  app.use((c, next) => (c.req.path === ROUTES.usersImport ? importBody : smallBody)(c, next))
  app.all('/trpc/*', (c) => handleTrpc(issuer, c.req.raw))
  // Public documents: any origin may read them, never with credentials.
  const publicCors = cors({ origin: '*', allowMethods: ['GET', 'HEAD'], maxAge: 600 })
  serveRoute(app, 'GET', ROUTES.jwks, () => jwksResponse(issuer.keys), { cors: publicCors })
  serveRoute(app, 'GET', ROUTES.revocationFeed, (c) => revocationFeedResponse(issuer, c.req.raw), {
    cors: publicCors,
  })
  serveRoute(
    app,
    'GET',
    ROUTES.metadata,
    (c) =>
      c.json(authorizationServerMetadata(issuer.config), 200, {
        'cache-control': 'public, max-age=3600',
      }),
    { cors: publicCors },
  )
  // A browser app on a listed origin may run a stock OAuth client; no cookie is involved.
  const oauthCors = cors({
    origin: (origin) => (issuer.config.allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ['POST'],
    allowHeaders: ['content-type', 'authorization'],
    exposeHeaders: ['date', 'retry-after', 'www-authenticate'],
    maxAge: 600,
  })
  serveRoute(app, 'POST', ROUTES.token, (c) => handleTokenRequest(issuer, c.req.raw), {
    cors: oauthCors,
  })
  serveRoute(app, 'POST', ROUTES.revoke, (c) => handleRevocationRequest(issuer, c.req.raw), {
    cors: oauthCors,
  })
  // Resource servers call introspection server to server: no CORS.
  serveRoute(app, 'POST', ROUTES.introspect, (c) => handleIntrospectionRequest(issuer, c.req.raw))
  serveRoute(app, 'GET', ROUTES.legacyReport, (c) => handleLegacyReport(issuer, c.req.raw))
  serveRoute(app, 'POST', ROUTES.usersImport, (c) => handleUsersImport(issuer, c.req.raw))
  serveRoute(app, 'GET', ROUTES.health, (c) => c.json({ ok: true }))
  // Off, /demo is any unknown route: a deployment shows no sign-up page it did not ask for.
  if (issuer.config.demo && issuer.config.mail.transport === 'outbox') {
    serveRoute(app, 'GET', '/demo/outbox', (c) => handleOutbox(issuer, c.req.raw))
  }
  if (issuer.config.demo) app.route('/demo', createDemoRoutes())
  app.notFound(() => errorResponse('NOT_FOUND', 'Not found'))
  app.onError((error, c) => {
    const requestId = requestIdOf(c.req.raw)
    console.error(
      JSON.stringify({ level: 'error', msg: 'request failed', requestId, ...describeError(error) }),
    )
    return errorResponse('INTERNAL_ERROR', 'Internal error')
  })
  return app
}
