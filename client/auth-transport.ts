import { createTRPCClient, httpLink } from '@trpc/client'
import { accessTokenContext, bearerHeaders } from './auth-link.ts'
import { timeoutSignal } from './timers.ts'
import type { AppRouter } from '../worker/trpc/app-router.ts'
import type { TrpcFetch } from './rotor-fetch.ts'
import type { RequestTiming } from './server-clock.ts'
import type {
  Delivery,
  ExchangeLegacyInput,
  LoginInput,
  Schedule,
  SignInWithIdTokenInput,
  TokenPair,
} from './types.ts'

export type AuthTransportOptions = {
  url: string
  delivery: Delivery
  fetch: TrpcFetch
  now: () => number
  schedule: Schedule
  /** Milliseconds before a request is abandoned as lost. */
  requestTimeoutMs: number
}

/** A pair with the round trip that brought it, for the server clock. */
export type TimedPair = { pair: TokenPair; timing: RequestTiming }

/** The calls that mint, rotate or end credentials: one request each, never batched. */
export type AuthTransport = {
  login(input: LoginInput): Promise<TimedPair>
  /** Trades a legacy token for a session (DESIGN §8). */
  exchangeLegacy(input: ExchangeLegacyInput): Promise<TimedPair>
  /** Trades an OpenID provider's ID token for a session. */
  signInWithIdToken(input: SignInWithIdTokenInput): Promise<TimedPair>
  /** `undefined` in cookie mode: the browser sends the HttpOnly cookie. */
  refresh(refreshToken: string | undefined): Promise<TimedPair>
  logout(refreshToken: string | undefined, accessToken: string | undefined): Promise<void>
}

/**
 * Rotor's credential calls over tRPC's own `httpLink`, outside the auth link: refresh must not wait
 * for a token, and the issuer refuses batches that contain sign-in or refresh. Each request has a
 * timeout, after which it counts as lost and may be retried.
 */
export function createAuthTransport(options: AuthTransportOptions): AuthTransport {
  const { delivery, now, schedule, requestTimeoutMs } = options
  const trpc = createTRPCClient<AppRouter>({
    links: [httpLink({ url: options.url, fetch: options.fetch, headers: bearerHeaders })],
  })

  const timed = async <T>(call: (signal: AbortSignal) => Promise<T>) => {
    const { signal, done } = timeoutSignal(schedule, requestTimeoutMs)
    const sentAt = now()
    try {
      const value = await call(signal)
      return { value, timing: { sentAt, receivedAt: now() } }
    } finally {
      done()
    }
  }

  return {
    async login(input) {
      const { value, timing } = await timed((signal) =>
        trpc.auth.login.mutate({ ...input, delivery }, { signal }),
      )
      return { pair: value, timing }
    },
    async exchangeLegacy(input) {
      const { value, timing } = await timed((signal) =>
        trpc.auth.exchangeLegacy.mutate({ ...input, delivery }, { signal }),
      )
      return { pair: value, timing }
    },
    async signInWithIdToken(input) {
      const { value, timing } = await timed((signal) =>
        trpc.auth.signInWithIdToken.mutate({ ...input, delivery }, { signal }),
      )
      return { pair: value, timing }
    },
    async refresh(refreshToken) {
      const input = refreshToken === undefined ? undefined : { refreshToken }
      const { value, timing } = await timed((signal) => trpc.auth.refresh.mutate(input, { signal }))
      return { pair: value, timing }
    },
    async logout(refreshToken, accessToken) {
      const input = refreshToken === undefined ? undefined : { refreshToken }
      await timed((signal) =>
        trpc.auth.logout.mutate(input, { signal, context: accessTokenContext(accessToken) }),
      )
    },
  }
}
