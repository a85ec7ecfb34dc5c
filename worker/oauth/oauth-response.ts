import type { RotorError, RotorReason } from '../../contract/index.ts'

/** RFC 6749 §5.2 error codes used here, with RFC 8693's `invalid_target` (and a 503's code). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'unsupported_token_type'
  | 'invalid_target'
  | 'temporarily_unavailable'

// Token responses carry credentials: RFC 6749 §5.1 requires both headers.
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' }

export function oauthJson(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } })
}

/** An RFC 6749 §5.2 error; `reason` adds Rotor's finer cause for clients that know it. */
export function oauthError(
  error: OAuthErrorCode,
  description: string,
  options: { status?: number; reason?: RotorReason; headers?: Record<string, string> } = {},
): Response {
  const status = options.status ?? (error === 'invalid_client' ? 401 : 400)
  return oauthJson(
    {
      error,
      error_description: description,
      ...(options.reason ? { reason: options.reason } : {}),
    },
    status,
    options.headers,
  )
}

/** A `RATE_LIMITED` refusal: 429 with `Retry-After`, in RFC 6749 §5.2 form. */
export function oauthRateLimited(error: RotorError): Response {
  return oauthError('invalid_request', error.message, {
    status: 429,
    reason: error.reason,
    headers: { 'retry-after': String(error.retryAfter ?? 60) },
  })
}
