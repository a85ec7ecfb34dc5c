import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { isRotorError } from '../../contract/index.ts'
import { describeError } from './log-error.ts'
import { createContext } from './trpc-context.ts'
import { appRouter } from '../trpc/router.ts'
import { errorResponse } from './error-response.ts'
import { MAX_BATCH_SIZE, UNBATCHABLE_PROCEDURES } from '../../contract/index.ts'
import type { Issuer } from '../issuer.ts'

export const TRPC_ENDPOINT = '/trpc'
const PROCEDURE_NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/

/** Runs one tRPC request (plain JSON, no transformer) after checking the batch it carries. */
export async function handleTrpc(issuer: Issuer, req: Request): Promise<Response> {
  const paths = procedurePaths(req)
  if (paths === undefined) return errorResponse('INVALID_INPUT', 'Malformed procedure path')
  if (paths.length > MAX_BATCH_SIZE) {
    return errorResponse('INVALID_INPUT', `A batch may hold at most ${MAX_BATCH_SIZE} calls`)
  }
  if (paths.length > 1 && paths.some((path) => UNBATCHABLE_PROCEDURES.has(path))) {
    return errorResponse('INVALID_INPUT', 'Sign-in and refresh calls cannot be batched')
  }
  const response = await fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: ({ resHeaders }) => createContext(issuer, req, resHeaders),
    responseMeta({ errors }) {
      const retryAfter = errors.map((error) => error.cause).find(isRotorError)?.retryAfter
      return retryAfter === undefined ? {} : { headers: { 'retry-after': String(retryAfter) } }
    },
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        const line = {
          level: 'error',
          msg: 'procedure failed',
          path,
          ...describeError(error.cause),
        }
        console.error(JSON.stringify(line))
      }
    },
  })
  // Responses carry tokens: never cache them anywhere.
  response.headers.set('cache-control', 'no-store')
  return response
}

/**
 * The procedure names a request addresses, read the way tRPC reads them (it drops trailing
 * slashes), or `undefined` for a malformed path: each name must look like `router.procedure`, so
 * `auth.login/` or an empty name cannot slip past the batch rules.
 */
function procedurePaths(req: Request): string[] | undefined {
  let raw: string
  try {
    raw = decodeURIComponent(new URL(req.url).pathname.slice(TRPC_ENDPOINT.length + 1))
  } catch {
    return undefined
  }
  const paths = raw.replace(/\/+$/, '').split(',')
  return paths.every((path) => PROCEDURE_NAME.test(path)) ? paths : undefined
}
