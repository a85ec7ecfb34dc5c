import type { Handler, Hono, MiddlewareHandler } from 'hono'
import { errorResponse } from './error-response.ts'

export type RouteOptions = {
  /** CORS for this route (Hono's `cors()`); it answers the preflight, so OPTIONS is allowed. */
  cors?: MiddlewareHandler
}

/**
 * Serves `handler` for `method` at `path`, and answers any other method there with 405 and
 * `Allow` (RFC 9110 §15.5.6) where Hono would answer 404. Hono serves HEAD from the GET route.
 */
export function serveRoute(
  app: Hono,
  method: 'GET' | 'POST',
  path: string,
  handler: Handler,
  options: RouteOptions = {},
): void {
  const allowed = method === 'GET' ? ['GET', 'HEAD'] : [method]
  if (options.cors) {
    app.use(path, options.cors)
    allowed.push('OPTIONS')
  }
  app.on(method, path, handler)
  const allow = allowed.join(', ')
  app.all(path, () =>
    errorResponse('METHOD_NOT_ALLOWED', `This route answers ${allow} only`, { allow }),
  )
}
