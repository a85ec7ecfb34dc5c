import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { secureHeaders } from 'hono/secure-headers'
import { createDemoRoutes } from './demo/routes.tsx'
import { errorResponse } from './http/error-response.ts'
import { handleLegacyReport } from './http/legacy-report-route.ts'
import { describeError } from './http/log-error.ts'
import { handleTrpc } from './http/trpc-route.ts'
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
  app.use(secureHeaders())
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
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () =>
        errorResponse('PAYLOAD_TOO_LARGE', `Request body must be at most ${MAX_BODY_BYTES} bytes`),
    }),
  )
  app.all('/trpc/*', (c) => handleTrpc(issuer, c.req.raw))
  app.get('/.well-known/jwks.json', () => jwksResponse(issuer.keys))
  app.get('/.well-known/oauth-authorization-server', (c) =>
    c.json(authorizationServerMetadata(issuer.config), 200, {
      'cache-control': 'public, max-age=3600',
    }),
  )
  app.post('/oauth/token', (c) => handleTokenRequest(issuer, c.req.raw))
  app.post('/oauth/revoke', (c) => handleRevocationRequest(issuer, c.req.raw))
  app.post('/oauth/introspect', (c) => handleIntrospectionRequest(issuer, c.req.raw))
  app.get('/admin/legacy-report', (c) => handleLegacyReport(issuer, c.req.raw))
  app.get('/healthz', (c) => c.json({ ok: true }))
  // Off, /demo is any unknown route: a deployment shows no sign-up page it did not ask for.
  if (issuer.config.demo) app.route('/demo', createDemoRoutes())
  app.notFound(() => errorResponse('NOT_FOUND', 'Not found'))
  app.onError((error) => {
    console.error(
      JSON.stringify({ level: 'error', msg: 'request failed', ...describeError(error) }),
    )
    return errorResponse('INTERNAL_ERROR', 'Internal error')
  })
  return app
}
