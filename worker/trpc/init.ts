import { TRPCError, initTRPC } from '@trpc/server'
import { ZodError } from 'zod'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server'
import { REASONS, RotorError, isRotorError, readBearer } from '../../contract/index.ts'
import { authenticateCaller } from '../legacy/authenticate-caller.ts'
import { setDeprecationHeaders } from './deprecation-headers.ts'
import type { RotorReason } from '../../contract/index.ts'
import type { Context } from './context.ts'

// tRPC's own errors (a body it cannot parse, a path it does not know) in Rotor's terms.
const REASON_FOR_CODE: Partial<Record<TRPC_ERROR_CODE_KEY, RotorReason>> = {
  BAD_REQUEST: 'INVALID_INPUT',
  PARSE_ERROR: 'INVALID_INPUT',
  METHOD_NOT_SUPPORTED: 'INVALID_INPUT',
  UNSUPPORTED_MEDIA_TYPE: 'INVALID_INPUT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  NOT_FOUND: 'NOT_FOUND',
}

/** The one place a `RotorError` becomes a `TRPCError`, under the code the contract gives it. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError && !isRotorError(error.cause)) return error
  const cause = error instanceof TRPCError ? error.cause : error
  if (isRotorError(cause)) {
    return new TRPCError({ code: REASONS[cause.reason].code, message: cause.message, cause })
  }
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal error', cause })
}

/** The reason a failed call reports in `error.data.reason`. */
export function reasonOf(error: TRPCError): RotorReason {
  if (isRotorError(error.cause)) return error.cause.reason
  return REASON_FOR_CODE[error.code] ?? 'INTERNAL_ERROR'
}

const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const reason = reasonOf(error)
    const message =
      reason === 'INTERNAL_ERROR'
        ? 'Internal error'
        : error.cause instanceof ZodError
          ? describeInvalidInput(error.cause)
          : shape.message
    // MFA_REQUIRED's challenge (README: Second factor), typed for clients through the router.
    const mfa = isRotorError(error.cause) ? error.cause.mfa : undefined
    return { ...shape, message, data: { ...shape.data, reason, mfa, stack: undefined } }
  },
})

/** `email: Invalid email address; password: Too small…`: one line, no JSON, no input echoed. */
function describeInvalidInput(error: ZodError): string {
  const issues = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
    return `${where}${issue.message}`
  })
  return `Invalid input: ${issues.join('; ')}`
}

const rotorErrors = t.middleware(async ({ next }) => {
  const result = await next()
  if (!result.ok) throw toTRPCError(result.error)
  return result
})

export const router = t.router
export const mergeRouters = t.mergeRouters
export const createCallerFactory = t.createCallerFactory
export const publicProcedure = t.procedure.use(rotorErrors)

/**
 * Resolves the bearer token to a live session once per call (DESIGN §4) or, in monitor and warn,
 * to the user of a legacy token (`ctx.auth.kind` tells which; DESIGN §8).
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const token = readBearer(ctx.headers.get('authorization'))
  const auth = await authenticateCaller(ctx.issuer, token, ctx.legacyClient)
  if (auth.kind === 'legacy') setDeprecationHeaders(ctx.resHeaders, auth.deprecation)
  return next({ ctx: { auth } })
})

/**
 * A protected procedure that needs a Rotor session, not a legacy token's caller: the second
 * factor's procedures (README: Second factor). A legacy caller is told to exchange its token.
 */
export const sessionProcedure = authedProcedure.use(({ ctx, next }) => {
  const { auth } = ctx
  if (auth.kind !== 'session') {
    throw new RotorError(
      'LEGACY_TOKEN_REJECTED',
      'This needs a Rotor session: exchange the legacy token first (auth.exchangeLegacy)',
    )
  }
  return next({ ctx: { auth } })
})
