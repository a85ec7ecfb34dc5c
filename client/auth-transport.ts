import { createTRPCClient, httpLink } from '@trpc/client'
import { accessTokenContext, bearerHeaders } from './auth-link.ts'
import { mfaChallengeOf } from './failure.ts'
import { timeoutSignal } from './timers.ts'
import type { MfaChallenge } from '../contract/index.ts'
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
  VerifyMfaInput,
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

/** A sign-in's answer: a pair, or the challenge of the second step it still needs. */
export type TimedSignIn = TimedPair | { mfa: MfaChallenge }

/** The calls that mint, rotate or end credentials: one request each, never batched. */
export type AuthTransport = {
  login(input: LoginInput): Promise<TimedSignIn>
  /** Trades a legacy token for a session (DESIGN §8). */
  exchangeLegacy(input: ExchangeLegacyInput): Promise<TimedSignIn>
  /** Trades an OpenID provider's ID token for a session. */
  signInWithIdToken(input: SignInWithIdTokenInput): Promise<TimedSignIn>
  /** The second step of a sign-in answered with `MFA_REQUIRED`. */
  verifyMfa(input: VerifyMfaInput): Promise<TimedPair & { recoveryCodesLeft?: number }>
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

  // A sign-in whose answer is MFA_REQUIRED resolves to its challenge; other failures throw.
  const signIn = async (
    call: (signal: AbortSignal) => Promise<TokenPair>,
  ): Promise<TimedSignIn> => {
    try {
      const { value, timing } = await timed(call)
      return { pair: value, timing }
    } catch (error) {
      const mfa = mfaChallengeOf(error)
      if (mfa) return { mfa }
      throw error
    }
  }

  return {
    login: (input) =>
      signIn((signal) => trpc.auth.login.mutate({ ...input, delivery }, { signal })),
    exchangeLegacy: (input) =>
      signIn((signal) => trpc.auth.exchangeLegacy.mutate({ ...input, delivery }, { signal })),
    signInWithIdToken: (input) =>
      signIn((signal) => trpc.auth.signInWithIdToken.mutate({ ...input, delivery }, { signal })),
    async verifyMfa(input) {
      const { value, timing } = await timed((signal) =>
        trpc.auth.verifyMfa.mutate(input, { signal }),
      )
      const { recoveryCodesLeft, ...pair } = value as TokenPair & { recoveryCodesLeft?: number }
      return { pair, timing, ...(recoveryCodesLeft === undefined ? {} : { recoveryCodesLeft }) }
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
