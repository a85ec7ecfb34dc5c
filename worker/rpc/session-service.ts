import { z } from 'zod'
import { RotorError } from '../../contract/index.ts'
import type { RotorReason } from '../../contract/index.ts'
import { describeError } from '../http/log-error.ts'
import { startTrustedSession } from '../identity/start-trusted-session.ts'
import { clientId, delivery, deviceName } from '../trpc/inputs.ts'
import { refreshCookie } from '../trpc/refresh-cookie.ts'
import type { Issuer } from '../issuer.ts'
import type { TokenPair } from '../sessions/token-pair.ts'

/**
 * `SessionService.startSession`'s answer. Workers RPC keeps only an error's message and standard
 * type, not `reason`, so refusals come back as values the caller can branch on.
 */
export type SessionServiceResult =
  | {
      ok: true
      /** `refreshToken` is present for `delivery: "body"`. */
      tokens: TokenPair
      /** For `delivery: "cookie"`: the `Set-Cookie` value to put on the caller's response. */
      setCookie?: string
    }
  | { ok: false; reason: RotorReason; message: string; retryAfter?: number }

const text = z.string().trim().min(1).max(255)
const options = { deviceName: deviceName.optional(), clientId: clientId.optional(), delivery }
// Strict objects: the caller names its user one way only, `userId` or `identity`, never both.
const startSessionRequest = z.union([
  z.object({ userId: text, ...options }).strict(),
  z.object({ identity: z.object({ provider: text, subject: text }).strict(), ...options }).strict(),
])

/** The caller's `props` on its service binding (set by whoever deploys it, not by its code). */
export type SessionServiceProps = { caller?: unknown } | undefined

/**
 * `startSession` of the `SessionService` entrypoint (README: Sessions from another system):
 * `{ userId } | { identity: { provider, subject } }` plus `deviceName?`, `clientId?`, `delivery?`.
 */
export async function startSessionOverRpc(
  issuer: Issuer,
  input: unknown,
  props: SessionServiceProps,
): Promise<SessionServiceResult> {
  const parsed = startSessionRequest.safeParse(input ?? {})
  if (!parsed.success) {
    return refused(
      new RotorError(
        'INVALID_INPUT',
        'Pass { userId } or { identity: { provider, subject } }, with deviceName?, clientId?, delivery? ("body" | "cookie")',
      ),
    )
  }
  const caller = typeof props?.caller === 'string' ? props.caller : 'SessionService'
  try {
    const pair = await startTrustedSession(issuer, { ...parsed.data, service: caller })
    if (parsed.data.delivery === 'body') return { ok: true, tokens: pair }
    const { refreshToken, ...tokens } = pair
    const nowSeconds = Math.floor(issuer.now() / 1000)
    const setCookie = refreshCookie(refreshToken, pair.refreshTokenExpiresAt, nowSeconds)
    return { ok: true, tokens, setCookie }
  } catch (error) {
    if (error instanceof RotorError) return refused(error)
    // As over HTTP: the caller learns nothing of the cause, the operator's log does (RPC carries
    // an error's message only, never its `cause`).
    console.error(JSON.stringify({ level: 'error', msg: 'rpc failed', ...describeError(error) }))
    throw new Error('Internal error', { cause: error })
  }
}

function refused(error: RotorError): SessionServiceResult {
  return {
    ok: false,
    reason: error.reason,
    message: error.message,
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
  }
}
