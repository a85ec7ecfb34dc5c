import { AMR, RotorError, SESSION_ENDING_REASONS } from '../../contract/index.ts'
import { signInWithIdToken } from '../identity/sign-in-with-id-token.ts'
import { exchangeLegacyToken } from '../legacy/exchange-legacy.ts'
import { assertMaySignIn, sendVerificationAfterRegister } from '../recovery/verify-email.ts'
import { changePassword } from '../sessions/change-password.ts'
import { chooseClientId } from '../sessions/client-id.ts'
import { checkCredentials, registerUser } from '../sessions/credentials.ts'
import { revokeSessions } from '../sessions/revoke-sessions.ts'
import { rotateRefreshToken } from '../sessions/rotate-refresh-token.ts'
import { startSignIn } from '../mfa/sign-in.ts'
import { endSessionOfRefreshToken, signOut } from '../sessions/sign-out.ts'
import { setDeprecationHeaders } from './deprecation-headers.ts'
import { authedProcedure, publicProcedure, router } from './init.ts'
import { assertAllowedOrigin } from './origin.ts'
import {
  clearedRefreshCookie,
  presentedRefreshToken,
  readRefreshCookie,
  refreshCookie,
} from './refresh-cookie.ts'
import {
  changePasswordInput,
  exchangeLegacyInput,
  loginInput,
  logoutAllInput,
  logoutInput,
  refreshInput,
  registerInput,
  signInWithIdTokenInput,
} from './inputs.ts'
import type { TokenPair } from '../sessions/token-pair.ts'
import type { RefreshTokenDelivery } from '../tokens/refresh-token.ts'
import type { Context } from './context.ts'

export const authRouter = router({
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const user = await registerUser(ctx.issuer, input, ctx.info)
    await sendVerificationAfterRegister(ctx.issuer, user, ctx.info)
    return { user }
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const replaced = beginSignIn(ctx, input.delivery)
    const clientId = chooseClientId(ctx.issuer.config, input.clientId)
    const { user, clearRateLimitKeys, upgradedHash, secondFactor } = await checkCredentials(
      ctx.issuer,
      input,
      ctx.info,
    )
    assertMaySignIn(ctx.issuer, user)
    // A user with a second factor gets MFA_REQUIRED and a challenge here, no session yet.
    const pair = await startSignIn(ctx.issuer, {
      user,
      clearRateLimitKeys,
      passwordHash: upgradedHash,
      deviceName: input.deviceName,
      clientId,
      info: ctx.info,
      event: 'login.success',
      delivery: input.delivery,
      amr: [AMR.password],
      secondFactor,
    })
    return deliverSignIn(ctx, pair, input.delivery, replaced)
  }),

  refresh: publicProcedure.input(refreshInput).mutation(async ({ ctx, input }) => {
    const { token, channel } = presentedRefreshToken(ctx.headers, input?.refreshToken)
    if (channel === 'cookie') assertAllowedOrigin(ctx.headers, ctx.issuer.config.allowedOrigins)
    if (token === undefined) throw new RotorError('TOKEN_MISSING', 'A refresh token is required')
    try {
      const pair = await rotateRefreshToken(ctx.issuer, token, ctx.info, channel)
      return deliver(ctx, pair, channel)
    } catch (error) {
      if (channel === 'cookie' && isSessionEnding(error))
        ctx.resHeaders.append('set-cookie', clearedRefreshCookie())
      throw error
    }
  }),

  logout: publicProcedure.input(logoutInput).mutation(async ({ ctx, input }) => {
    const { token, channel } = presentedRefreshToken(ctx.headers, input?.refreshToken)
    const fromCookie = channel === 'cookie' && token !== undefined
    if (fromCookie) assertAllowedOrigin(ctx.headers, ctx.issuer.config.allowedOrigins)
    await signOut(ctx.issuer, {
      authorization: ctx.headers.get('authorization'),
      refreshToken: token,
      channel,
      info: ctx.info,
    })
    if (fromCookie) {
      ctx.resHeaders.append('set-cookie', clearedRefreshCookie())
      // The browser also drops any refresh cookie planted for a parent domain: Clear-Site-Data
      // (W3C) reaches every cookie of the site, whoever set it.
      ctx.resHeaders.set('clear-site-data', '"cookies"')
    }
    return { ok: true as const }
  }),

  logoutAll: authedProcedure.input(logoutAllInput).mutation(async ({ ctx, input }) => {
    const { session } = ctx.auth
    const keepCurrent = input?.keepCurrent ?? false
    const { revoked } = await revokeSessions(
      ctx.issuer,
      {
        reason: 'logout-all',
        userId: session.userId,
        callerSessionId: session.id,
        keepSessionId: keepCurrent ? session.id : undefined,
      },
      ctx.info,
    )
    if (!keepCurrent) ctx.resHeaders.append('set-cookie', clearedRefreshCookie())
    return { ok: true as const, revoked }
  }),

  changePassword: authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => ({
    ok: true as const,
    revoked: await changePassword(ctx.issuer, ctx.auth.session, input, ctx.info),
  })),

  exchangeLegacy: publicProcedure.input(exchangeLegacyInput).mutation(async ({ ctx, input }) => {
    const replaced = beginSignIn(ctx, input.delivery)
    const caller = { info: ctx.info, client: ctx.legacyClient }
    const { pair, deprecation } = await exchangeLegacyToken(ctx.issuer, input, caller)
    setDeprecationHeaders(ctx.resHeaders, deprecation)
    return deliverSignIn(ctx, pair, input.delivery, replaced)
  }),

  /** A session for a user an OpenID provider of `OIDC_PROVIDERS` signed in (its ID token). */
  signInWithIdToken: publicProcedure
    .input(signInWithIdTokenInput)
    .mutation(async ({ ctx, input }) => {
      const replaced = beginSignIn(ctx, input.delivery)
      const pair = await signInWithIdToken(ctx.issuer, input, ctx.info)
      return deliverSignIn(ctx, pair, input.delivery, replaced)
    }),

  me: authedProcedure.query(({ ctx }) => ({
    id: ctx.auth.session.userId,
    email: ctx.auth.session.email,
    ...emailVerifiedOf(ctx.auth.session),
  })),
})

/**
 * A cookie sign-in's checks before any work: a listed origin, and the refresh cookie it will
 * replace, whose token it returns. A body sign-in touches no cookie.
 */
export function beginSignIn(ctx: Context, delivery: RefreshTokenDelivery): string | undefined {
  if (delivery === 'body') return undefined
  assertAllowedOrigin(ctx.headers, ctx.issuer.config.allowedOrigins)
  return readRefreshCookie(ctx.headers)
}

/**
 * Delivers a new session's pair. The session of a cookie it replaces ends first: the browser
 * loses that cookie, so it could never use that session again nor sign it out.
 */
export async function deliverSignIn(
  ctx: Context,
  pair: TokenPair & { refreshToken: string },
  delivery: RefreshTokenDelivery,
  replaced: string | undefined,
): Promise<TokenPair> {
  if (replaced !== undefined)
    await endSessionOfRefreshToken(ctx.issuer, replaced, 'cookie', ctx.info)
  return deliver(ctx, pair, delivery)
}

/** Body delivery returns the refresh token; cookie delivery sets it HttpOnly and omits it. */
function deliver(
  ctx: Context,
  pair: TokenPair & { refreshToken: string },
  delivery: RefreshTokenDelivery,
): TokenPair {
  if (delivery === 'body') return pair
  const { refreshToken, ...rest } = pair
  const nowSeconds = Math.floor(ctx.issuer.now() / 1000)
  ctx.resHeaders.append(
    'set-cookie',
    refreshCookie(refreshToken, pair.refreshTokenExpiresAt, nowSeconds),
  )
  return rest
}

function isSessionEnding(error: unknown): boolean {
  return error instanceof RotorError && SESSION_ENDING.has(error.reason)
}

const SESSION_ENDING: ReadonlySet<string> = new Set(SESSION_ENDING_REASONS)

/** `emailVerified` of a session's user; a legacy token's caller has no session row to say it. */
export function emailVerifiedOf(session: object): { emailVerified?: boolean } {
  return 'emailVerified' in session ? { emailVerified: Boolean(session.emailVerified) } : {}
}
