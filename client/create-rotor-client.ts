import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client'
import { bearerHeaders, createAuthLink } from './auth-link.ts'
import { createAuthTransport } from './auth-transport.ts'
import { createAutoRefresh } from './auto-refresh.ts'
import { createEmitter } from './events.ts'
import { classifyFailure } from './failure.ts'
import { defaultLifecycle } from './lifecycle.ts'
import { resolveOptions } from './options.ts'
import { createRefreshCoordinator } from './refresh-coordinator.ts'
import { PUBLIC_PROCEDURES } from './public-procedures.ts'
import { createRecoveryMethods } from './recovery.ts'
import { acceptSignIn, createSecondFactorMethods } from './second-factor.ts'
import { retryTransient } from './retry.ts'
import { withLegacyExchange } from './legacy-exchange.ts'
import { createRotorFetch, globalFetch } from './rotor-fetch.ts'
import { createServerClock } from './server-clock.ts'
import { createSession } from './session.ts'
import { createSessionCheck } from './session-check.ts'
import { createMemoryStorage } from './storage.ts'
import { createTabSync } from './tab-sync.ts'
import { toSnapshot } from './token-state.ts'
import type { TRPCClient } from '@trpc/client'
import { MAX_BATCH_SIZE, UNBATCHABLE_PROCEDURES } from '../contract/index.ts'
import type { AppRouter } from '../worker/trpc/app-router.ts'
import type { AccessTokenSource } from './auth-link.ts'
import type {
  ClockSkewEvent,
  Listener,
  RefreshEvent,
  RotorEvents,
  SessionExpiringEvent,
  StepUpRequiredEvent,
} from './events.ts'
import type { RotorClientOptions } from './options.ts'
import type { RecoveryMethods } from './recovery.ts'
import type { SecondFactorMethods, SignInResult } from './second-factor.ts'
import type { SessionWatcher } from './token-state.ts'
import type {
  ExchangeLegacyInput,
  LoginInput,
  SessionSnapshot,
  SignedOutReason,
  SignInWithIdTokenInput,
} from './types.ts'

/** Rotor's typed tRPC client, plus the session it keeps. */
export type RotorClient = TRPCClient<AppRouter> &
  AccessTokenSource &
  RecoveryMethods &
  SecondFactorMethods & {
    /**
     * Signs in; the password goes out in this one request and is kept nowhere. Resolves to the
     * session, or to `{ mfaRequired }` for a user with a second factor: then `verifyMfa`.
     */
    login(input: LoginInput): Promise<SignInResult>
    /**
     * Trades a legacy JWT for a session (DESIGN §8); `legacyToken` does this by itself, except
     * for a user with a second factor, whose exchange resolves to `{ mfaRequired }` here.
     */
    exchangeLegacy(input: ExchangeLegacyInput): Promise<SignInResult>
    /** Signs in with an ID token of an OpenID provider the issuer trusts (`OIDC_PROVIDERS`). */
    signInWithIdToken(input: SignInWithIdTokenInput): Promise<SignInResult>
    /** Signs this session out on the server and here, and in the other tabs. */
    logout(): Promise<void>
    /** Signs out every session of the user; with `keepCurrent`, every other one. */
    logoutAll(options?: { keepCurrent?: boolean }): Promise<{ revoked: number }>
    /** The session as known now, or `null` when signed out or not yet known. */
    getSession(): SessionSnapshot | null
    /** The issuer's clock, in epoch milliseconds: what countdowns to `exp` should use. */
    serverNow(): number
    /** A new access token: refreshed here, or refreshed or signed in by another tab. */
    onRefresh(listener: Listener<RefreshEvent>): () => void
    /** The session ended, once per session: revoked, expired, reused, or signed out on purpose. */
    onSignedOut(listener: Listener<SignedOutReason>): () => void
    /** The session ends within `sessionWarning` seconds unless the user signs in again. */
    onSessionExpiring(listener: Listener<SessionExpiringEvent>): () => void
    /** The device clock is more than `skewWarning` seconds off the issuer's; timing still holds. */
    onClockSkew(listener: Listener<ClockSkewEvent>): () => void
    /**
     * A call through the client or {@link createAuthLink} was refused with 401
     * `INSUFFICIENT_USER_AUTHENTICATION` (an RFC 9470 step-up challenge): ask the user for a code,
     * call `stepUp`, then retry the call. Each refused call fires it once; the call still fails.
     */
    onStepUpRequired(listener: Listener<StepUpRequiredEvent>): () => void
    /** Stops timers and closes the tab channel. */
    close(): void
  }

/**
 * Creates a client for Rotor: the typed tRPC procedures (`rotor.auth.me.query()`,
 * `rotor.sessions.list.query()`), with access tokens attached and refreshed as needed, and the
 * session methods and events. Pass it as `tokens` to {@link createAuthLink} to call your own API.
 *
 * @example
 * ```ts
 * const rotor = createRotorClient({ url: 'https://auth.example.com/trpc', delivery: 'cookie' })
 * rotor.onSignedOut((reason) => showSignIn(reason))
 * await rotor.login({ email, password })
 * const me = await rotor.auth.me.query()
 * ```
 */
export function createRotorClient(options: RotorClientOptions): RotorClient {
  const config = resolveOptions(options)
  const { url, delivery, now } = config
  const events = createEmitter<RotorEvents>()
  const clock = createServerClock({
    now,
    skewWarning: config.skewWarning,
    onSkew: (offsetSeconds) => events.emit('clockSkew', { offsetSeconds }),
  })
  const fetch = createRotorFetch({ fetch: options.fetch ?? globalFetch, delivery, now, clock })
  const tabs = createTabSync(config.crossTab, `rotor:${url}`, config)
  const lifecycle = options.lifecycle ?? defaultLifecycle()
  const watchers: SessionWatcher[] = []
  if (config.autoRefresh)
    watchers.push(
      createAutoRefresh({
        clock,
        schedule: config.schedule,
        lifecycle,
        refresh: () => coordinator.ensureFresh(),
      }),
    )
  if (config.foregroundCheckAfter !== false)
    watchers.push(
      createSessionCheck({
        clock,
        lifecycle,
        tabs,
        afterMs: config.foregroundCheckAfter * 1000,
        check: () => checkSession(),
      }),
    )
  const session = createSession({
    ...config,
    storage: options.storage ?? createMemoryStorage(),
    clock,
    events,
    tabs,
    watchers,
  })
  const transport = createAuthTransport({
    ...config,
    fetch,
    requestTimeoutMs: config.requestTimeout * 1000,
  })
  const retry = { policy: config.retry, sleep: config.sleep, now }
  const coordinator = createRefreshCoordinator({
    delivery,
    session,
    transport,
    tabs,
    clock,
    retry,
    onStepUpRequired: (requirement) => events.emit('stepUpRequired', { requirement }),
  })
  const tokens = options.legacyToken
    ? withLegacyExchange({
        tokens: coordinator,
        transport,
        session,
        legacyToken: options.legacyToken,
      })
    : coordinator

  const unbatchable = (op: { path: string }) => UNBATCHABLE_PROCEDURES.has(op.path)
  // Unbatchable is not tokenless: an email change, a step-up and the mfa.* calls need the session.
  const tokenless = (op: { path: string }) => PUBLIC_PROCEDURES.has(op.path)
  const trpc = createTRPCClient<AppRouter>({
    links: [
      createAuthLink({ tokens, skip: tokenless }),
      splitLink({
        condition: unbatchable,
        true: httpLink({ url, fetch, headers: bearerHeaders }),
        false: httpBatchLink({ url, fetch, headers: bearerHeaders, maxItems: MAX_BATCH_SIZE }),
      }),
    ],
  })

  // A token due for refresh is checked by refreshing it (the auto-refresh does so on the same
  // return); any other by `auth.me`, whose session-ending answer signs out through the auth link.
  const checkSession = async () => {
    const before = session.state().record
    const after = await coordinator.ensureFresh()
    if (after === undefined) return false
    if (after === before) await trpc.auth.me.query()
    return session.state().status === 'signed-in'
  }

  const methods: Omit<RotorClient, keyof TRPCClient<AppRouter>> = {
    getAccessToken: tokens.getAccessToken,
    recover: tokens.recover,
    ...createRecoveryMethods(trpc, session),
    login: async (input) => acceptSignIn(session, await transport.login(input)),
    exchangeLegacy: async (input) => acceptSignIn(session, await transport.exchangeLegacy(input)),
    signInWithIdToken: async (input) =>
      acceptSignIn(session, await transport.signInWithIdToken(input)),
    ...createSecondFactorMethods({ trpc, transport, session, coordinator, now }),
    async logout() {
      const { record } = session.state()
      const refreshToken = await session.readRefreshToken()
      let failure: unknown
      if (delivery === 'cookie' || record || refreshToken) {
        try {
          await retryTransient(() => transport.logout(refreshToken, record?.accessToken), retry)
        } catch (error) {
          // A 401 means the server no longer knows the session: signed out already.
          const { kind } = classifyFailure(error)
          if (kind !== 'definitive' && kind !== 'token-rejected') failure = error
        }
      }
      // Locally the sign-out always happens; a failure is reported after it.
      await session.end('LOGOUT', { broadcast: true })
      if (failure !== undefined) throw failure
    },
    async logoutAll(input) {
      const keepCurrent = input?.keepCurrent ?? false
      const { revoked } = await trpc.auth.logoutAll.mutate({ keepCurrent })
      if (!keepCurrent) await session.end('LOGOUT', { broadcast: true })
      return { revoked }
    },
    getSession() {
      const { record } = session.state()
      return record ? toSnapshot(record) : null
    },
    serverNow: () => clock.now(),
    onRefresh: (listener) => events.on('refresh', listener),
    onSignedOut: (listener) => events.on('signedOut', listener),
    onSessionExpiring: (listener) => events.on('sessionExpiring', listener),
    onClockSkew: (listener) => events.on('clockSkew', listener),
    onStepUpRequired: (listener) => events.on('stepUpRequired', listener),
    close() {
      session.close()
      events.clear()
    },
  }

  // Own methods first; every other name is a procedure path on the tRPC client.
  return new Proxy(methods, {
    get: (target, key) => (key in target ? Reflect.get(target, key) : Reflect.get(trpc, key)),
  }) as RotorClient
}
