import { TRPCClientError } from '@trpc/client'
import { observable } from '@trpc/server/observable'
import { classifyFailure } from './failure.ts'
import type { Operation, OperationContext, TRPCLink } from '@trpc/client'
import type { AnyRouter } from '@trpc/server'
import type { Unsubscribable } from '@trpc/server/observable'

/** Where a call's access token rides from the auth link to the HTTP link's `headers`. */
const ACCESS_TOKEN = 'rotorAccessToken'

/**
 * What the auth link needs from whoever holds the session; a `RotorClient` is one.
 */
export type AccessTokenSource = {
  /** A token to send, refreshed first when it is near expiry; `null` when signed out. */
  getAccessToken(): Promise<string | null>
  /**
   * Called after a call failed with `error` while carrying `rejectedToken`: returns a different
   * token to retry with once, or `null` to let the error through. Called at most once per call,
   * and once more only when the retry's answer ends the session (`SESSION_REVOKED`, …), so the
   * source learns it; that second result is not used.
   */
  recover(rejectedToken: string, error: unknown): Promise<string | null>
}

export type AuthLinkOptions = {
  tokens: AccessTokenSource
  /** Calls that go out without a token, such as sign-in. @default none */
  skip?: (op: Operation) => boolean
}

/**
 * A tRPC link that gives every call an access token and, when the server rejects it, lets the
 * token source refresh and retries the call once. It never loops: a retried call's failure is
 * the caller's. Pair it with a terminating HTTP link whose `headers` is {@link bearerHeaders}.
 *
 * @example
 * ```ts
 * const rotor = createRotorClient({ url: 'https://auth.example.com/trpc', delivery: 'cookie' })
 * const api = createTRPCClient<AppRouter>({
 *   links: [
 *     createAuthLink({ tokens: rotor }),
 *     httpBatchLink({ url: '/api/trpc', headers: bearerHeaders }),
 *   ],
 * })
 * ```
 */
export function createAuthLink<TRouter extends AnyRouter = AnyRouter>(
  options: AuthLinkOptions,
): TRPCLink<TRouter> {
  const { tokens, skip } = options
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let inner: Unsubscribable | undefined
        let closed = false
        const fail = (error: unknown) => observer.error(TRPCClientError.from(toError(error)))

        const send = (token: string | null, mayRetry: boolean) => {
          if (closed) return
          inner = next(withAccessToken(op, token)).subscribe({
            next: (envelope) => observer.next(envelope),
            complete: () => observer.complete(),
            error: (error) => {
              if (token === null || closed) return observer.error(error)
              if (!mayRetry) {
                if (!endsSession(error)) return observer.error(error)
                // Refused for good on the retry (revoked since the refresh): the source signs out.
                return void tokens.recover(token, error).then(() => observer.error(error), fail)
              }
              tokens
                .recover(token, error)
                .then(
                  (fresh) =>
                    fresh && fresh !== token ? send(fresh, false) : observer.error(error),
                  fail,
                )
            },
          })
        }

        if (skip?.(op)) send(null, false)
        else tokens.getAccessToken().then((token) => send(token, true), fail)
        return () => {
          closed = true
          inner?.unsubscribe()
        }
      })
}

/**
 * The `headers` option for `httpLink` or `httpBatchLink` behind {@link createAuthLink}: sends
 * the call's token as `Authorization: Bearer`, and nothing when there is none.
 */
export function bearerHeaders(
  opts: { op: Operation } | { opList: readonly Operation[] },
): Record<string, string> {
  const op = 'op' in opts ? opts.op : opts.opList[0]
  const token = op?.context[ACCESS_TOKEN]
  return typeof token === 'string' ? { authorization: `Bearer ${token}` } : {}
}

/** A call context carrying `token`, for calls made without the auth link (sign-out). */
export function accessTokenContext(token: string | undefined): OperationContext {
  return token === undefined ? {} : { [ACCESS_TOKEN]: token }
}

function withAccessToken(op: Operation, token: string | null): Operation {
  if (token === null) return op
  return { ...op, context: { ...op.context, [ACCESS_TOKEN]: token } }
}

function endsSession(error: unknown): boolean {
  return classifyFailure(error).kind === 'definitive'
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
