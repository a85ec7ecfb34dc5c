import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { RotorError, isRotorError } from '../../contract/index.ts'
import { bearerChallenge } from '../../verify/bearer-challenge.ts'
import { describeError } from './log-error.ts'
import { requestIdOf } from './request-id.ts'
import { createContext } from './trpc-context.ts'
import { reasonOf, toTRPCError } from '../trpc/init.ts'
import { appRouter } from '../trpc/router.ts'
import { errorResponse } from './error-response.ts'
import { utf8Request } from './request-body.ts'
import { MAX_BATCH_SIZE, UNBATCHABLE_PROCEDURES } from '../../contract/index.ts'
import type { TRPCRequestInfo } from '@trpc/server/http'
import type { Issuer } from '../issuer.ts'

export const TRPC_ENDPOINT = '/trpc'
const PROCEDURE_NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/

/**
 * Runs one tRPC request (plain JSON, no transformer, strict UTF-8). tRPC parses the path and
 * refuses a batch of more than `MAX_BATCH_SIZE` calls itself; the other batch rules read the calls
 * it parsed.
 */
export async function handleTrpc(issuer: Issuer, req: Request): Promise<Response> {
  const decoded = await utf8Request(req)
  if (decoded instanceof Response) return decoded
  let refused: RotorError | undefined
  const response = await fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: decoded,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext({ info, resHeaders }) {
      refused = breaksBatchRules(info)
      // Failing here fails every call of the request before any of them runs.
      if (refused !== undefined) throw toTRPCError(refused)
      return createContext(issuer, req, resHeaders)
    },
    responseMeta({ errors }) {
      const headers: Record<string, string> = {}
      const retryAfter = errors.map((error) => error.cause).find(isRotorError)?.retryAfter
      if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter)
      const unauthorized = errors.find((error) => error.code === 'UNAUTHORIZED')
      if (unauthorized) {
        headers['www-authenticate'] = bearerChallenge(reasonOf(unauthorized), {
          sentToken: req.headers.has('authorization'),
          description: unauthorized.message,
        })
      }
      return { headers }
    },
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        const line = {
          level: 'error',
          msg: 'procedure failed',
          path,
          requestId: requestIdOf(req),
          ...describeError(error.cause),
        }
        console.error(JSON.stringify(line))
      }
    },
  })
  // A refused request gets one answer, not one per call (a call tRPC finds no procedure for would
  // answer its own 404 and turn the whole response into a 207).
  if (refused !== undefined) return errorResponse(refused.reason, refused.message)
  // Responses carry tokens: never cache them anywhere.
  response.headers.set('cache-control', 'no-store')
  return response
}

/**
 * The batch rule the request breaks, if any: each name must look like `router.procedure` (an
 * empty name behind a trailing comma is no call), sign-in and refresh calls run alone, and
 * `auth.*` calls are never streamed.
 */
function breaksBatchRules({ calls, accept }: TRPCRequestInfo): RotorError | undefined {
  if (!calls.every((call) => PROCEDURE_NAME.test(call.path))) {
    return new RotorError('INVALID_INPUT', 'Malformed procedure path')
  }
  if (calls.length > 1 && calls.some((call) => UNBATCHABLE_PROCEDURES.has(call.path))) {
    return new RotorError('INVALID_INPUT', 'Sign-in and refresh calls cannot be batched')
  }
  // A streamed answer (httpBatchStreamLink) sends its status and headers before any call has run:
  // the refresh cookie, Retry-After and every error status would be lost behind a 200.
  if (accept === 'application/jsonl' && calls.some((call) => call.path.startsWith('auth.'))) {
    return new RotorError(
      'INVALID_INPUT',
      'auth.* calls cannot be streamed (trpc-accept: application/jsonl): send them with httpLink',
    )
  }
  return undefined
}
