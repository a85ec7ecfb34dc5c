import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server'
import type { RotorReason, SessionEndingReason } from '../contract/index.ts'
import type { AppRouter } from '../worker/trpc/app-router.ts'

/**
 * Where the issuer delivers the refresh token: `'cookie'` puts it in an HttpOnly cookie that no
 * script can read (browsers); `'body'` returns it to the client, which keeps it in a
 * {@link TokenStorage} (React Native, CLIs, other workers).
 */
export type Delivery = 'cookie' | 'body'

/** What `auth.login` and `auth.refresh` return (DESIGN §6). Times in epoch seconds. */
export type TokenPair = inferRouterOutputs<AppRouter>['auth']['login']

/** The input of `auth.login`, less the delivery, which the client's options choose. */
export type LoginInput = Omit<inferRouterInputs<AppRouter>['auth']['login'], 'delivery'>

/** The input of `auth.exchangeLegacy`, less the delivery, which the client's options choose. */
export type ExchangeLegacyInput = Omit<
  inferRouterInputs<AppRouter>['auth']['exchangeLegacy'],
  'delivery'
>

/** The input of `auth.signInWithIdToken`, less the delivery, which the client's options choose. */
export type SignInWithIdTokenInput = Omit<
  inferRouterInputs<AppRouter>['auth']['signInWithIdToken'],
  'delivery'
>

/** The input of `auth.verifyMfa`: the sign-in's challenge with a TOTP code or a recovery code. */
export type VerifyMfaInput = inferRouterInputs<AppRouter>['auth']['verifyMfa']

/** The input of `auth.stepUp`: a TOTP code or a recovery code. */
export type StepUpInput = inferRouterInputs<AppRouter>['auth']['stepUp']

/**
 * Why a session ended on this client. The issuer's definitive reasons, `TOKEN_MISSING` when the
 * refresh token vanished (cookie cleared, storage emptied), and `LOGOUT` when this client or
 * another tab signed out on purpose.
 */
export type SignedOutReason = SessionEndingReason | Extract<RotorReason, 'TOKEN_MISSING'> | 'LOGOUT'

/** The signed-in session as this client knows it. Times in epoch seconds, server clock. */
export type SessionSnapshot = {
  user: { id: string; email: string }
  sessionId: string
  accessTokenExpiresAt: number
  /** The session's end if no refresh happens before it: idle deadline capped by the absolute one. */
  refreshTokenExpiresAt: number
  /** How the user signed in, as the current access token says. */
  assurance: SessionAssurance
}

/**
 * How the user of a session authenticated, read from the access token's `amr`, `acr` and
 * `auth_time` (decoded, not verified: it is the client's own token, and every server that acts
 * on it verifies it). What a step-up (`stepUp`) moves on.
 */
export type SessionAssurance = {
  /** Methods (RFC 8176): `pwd` a password, `otp` a one-time code, `mfa` two factors; or none. */
  amr: string[]
  /** The assurance level: `urn:rotor:aal1` one factor, `urn:rotor:aal2` two. Absent when unsaid. */
  acr?: string
  /** When the user last authenticated (sign-in or step-up), epoch seconds. Absent when unsaid. */
  authTime?: number
}

/** What the client passes to `fetch`: a subset of `RequestInit`, so the standard fetch fits. */
export type FetchInit = {
  method?: string
  headers?: Record<string, string>
  body?: string
  signal?: AbortSignal
  /** Set only in cookie mode, where the browser must send and store the refresh cookie. */
  credentials?: 'include'
}

/** The `fetch` the client calls: the platform's, or any function of the same shape. */
export type FetchLike = (input: string, init?: FetchInit) => Promise<Response>

/**
 * Runs `callback` after `ms` milliseconds; returns a function that cancels it. The client's only
 * use of timers, injectable so tests control time.
 */
export type Schedule = (callback: () => void, ms: number) => () => void
