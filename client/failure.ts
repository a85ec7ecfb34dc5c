import { TRPCClientError } from '@trpc/client'
import {
  SESSION_ENDING_REASONS,
  parseStepUpChallenge,
  readStepUpRequirement,
} from '../contract/index.ts'
import type { MfaChallenge, StepUpRequirement } from '../contract/index.ts'
import type { SignedOutReason } from './types.ts'

/**
 * What a failed call means for the session:
 * - `definitive`: the session is over (revoked, expired, reused or unknown refresh token);
 * - `token-rejected`: a 401 that a new access token may cure (expired, invalid, missing);
 * - `transient`: network error, timeout, 5xx or 429; the session stays, the call may be retried;
 * - `step-up`: a 401 that wants a fresher or stronger sign-in (RFC 9470): a step-up may cure it;
 * - `other`: an answer about the call itself (bad input, wrong password, forbidden).
 */
export type Failure = {
  kind: 'definitive' | 'token-rejected' | 'transient' | 'step-up' | 'other'
  /** `error.data.reason` when the server sent one. */
  reason: string | undefined
  /** The server's `Retry-After`, in milliseconds, when it sent one the page may read. */
  retryAfterMs: number | undefined
  /** For `step-up`: what the server asks for (`{}` when it said nothing readable). */
  stepUp?: StepUpRequirement
}

const DEFINITIVE: ReadonlySet<string> = new Set(SESSION_ENDING_REASONS)
const TOKEN_REJECTED = new Set<string>(['TOKEN_EXPIRED', 'TOKEN_INVALID', 'TOKEN_MISSING'])

/** Whether `reason` ends the session for good. */
export function isDefinitiveReason(reason: string | undefined): reason is SignedOutReason {
  return reason !== undefined && DEFINITIVE.has(reason)
}

/** Sorts any error a tRPC call can throw; see {@link Failure}. */
export function classifyFailure(error: unknown): Failure {
  if (!(error instanceof TRPCClientError)) return failure('transient', undefined, undefined)
  const data = errorData(error)
  const response = readResponse(error.meta)
  const reason = typeof data?.['reason'] === 'string' ? data['reason'] : undefined
  const status = typeof data?.['httpStatus'] === 'number' ? data['httpStatus'] : response?.status
  const retryAfterMs = response ? parseRetryAfter(response.headers) : undefined

  if (isDefinitiveReason(reason)) return failure('definitive', reason, undefined)
  // No status at all: the request failed, timed out, or the answer was not tRPC JSON (a proxy).
  if (status === undefined || status >= 500 || status === 429 || status === 408) {
    return failure('transient', reason, retryAfterMs)
  }
  if (status === 401) {
    const stepUp = stepUpOf(response, data, reason)
    if (stepUp) return { ...failure('step-up', reason, undefined), stepUp }
  }
  if (status === 401 && (reason === undefined || TOKEN_REJECTED.has(reason))) {
    return failure('token-rejected', reason, undefined)
  }
  return failure('other', reason, undefined)
}

/**
 * The challenge of a sign-in answered with `MFA_REQUIRED` (`error.data.mfa`), when it is one and
 * well formed; `undefined` for any other failure.
 */
export function mfaChallengeOf(error: unknown): MfaChallenge | undefined {
  if (!(error instanceof TRPCClientError)) return undefined
  const data = errorData(error)
  if (data?.['reason'] !== 'MFA_REQUIRED' || !isFields(data['mfa'])) return undefined
  const { challenge, expiresAt, methods } = data['mfa']
  const ok =
    typeof challenge === 'string' &&
    Number.isInteger(expiresAt) &&
    Array.isArray(methods) &&
    methods.every((method) => method === 'totp' || method === 'recovery_code')
  return ok ? { challenge, expiresAt: expiresAt as number, methods } : undefined
}

function failure(
  kind: Failure['kind'],
  reason: string | undefined,
  retryAfterMs: number | undefined,
): Failure {
  return { kind, reason, retryAfterMs }
}

type Fields = Record<string, unknown>
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null

/**
 * `error.data` as tRPC read it; else the same `{ error: { data } }` read from the answer itself.
 * tRPC reads only errors with a numeric `code`, which rotor/verify's refusals lack: without this,
 * an API's `SESSION_REVOKED` would pass for a bare 401.
 */
function errorData(error: TRPCClientError<any>): Fields | undefined {
  if (isFields(error.data)) return error.data
  const json = (error.meta as { responseJSON?: unknown } | undefined)?.responseJSON
  const data = isFields(json) && isFields(json['error']) ? json['error']['data'] : undefined
  return isFields(data) ? data : undefined
}

/**
 * A step-up refusal's requirement: its challenge (RFC 9470, any such server's), else the copy in
 * `error.data.stepUp` (rotor/verify's, readable where a cross-origin page cannot see the header).
 */
function stepUpOf(
  response: ResponseLike | undefined,
  data: Fields | undefined,
  reason: string | undefined,
): StepUpRequirement | undefined {
  const challenged = parseStepUpChallenge(response?.headers.get('www-authenticate'))
  if (challenged) return challenged
  if (reason !== 'INSUFFICIENT_USER_AUTHENTICATION') return undefined
  return readStepUpRequirement(data?.['stepUp']) ?? {}
}

type ResponseLike = { status: number; headers: { get(name: string): string | null } }

function readResponse(meta: unknown): ResponseLike | undefined {
  const response = (meta as { response?: unknown } | undefined)?.response
  if (typeof response !== 'object' || response === null) return undefined
  const candidate = response as Partial<ResponseLike>
  if (typeof candidate.status !== 'number' || typeof candidate.headers?.get !== 'function')
    return undefined
  return candidate as ResponseLike
}

/** `Retry-After` is delta-seconds or an HTTP date (RFC 9110 §10.2.3); a date is read against `Date`. */
function parseRetryAfter(headers: ResponseLike['headers']): number | undefined {
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  const date = Date.parse(headers.get('date') ?? '')
  if (Number.isNaN(at) || Number.isNaN(date)) return undefined
  return Math.max(0, at - date)
}
