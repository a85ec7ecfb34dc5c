import { createMiddleware } from 'hono/factory'
import type { MiddlewareHandler } from 'hono'
import {
  MAX_ACCESS_TOKEN_LIFETIME,
  RotorError,
  isRotorError,
  readBearer,
} from '../contract/index.ts'
import { verifyAccessToken } from './access-token.ts'
import { isLegacyCandidate } from './legacy-candidate.ts'
import { verifyLegacyAtIssuer } from './legacy-at-issuer.ts'
import { refusalResponse } from './refusal.ts'
import { isTokenActive } from './introspect.ts'
import { createFeedCheck, validateFeedOptions } from './feed-mode.ts'
import { bindingOf, createRemoteKeys } from './remote-keys.ts'
import { createStepUpCheck } from './step-up.ts'
import { createTokenCache } from './token-cache.ts'
import type { AccessTokenClaims } from '../contract/index.ts'
import type { LegacyCallerClaims } from './legacy-at-issuer.ts'
import type { WaitUntil } from './feed-state.ts'
import type { IssuerFetcher } from './remote-keys.ts'
import type { StepUpOptions } from './step-up.ts'

export type RequireAuthOptions = {
  /** The issuer's `ISSUER` value; tokens must carry exactly this `iss`. */
  issuer: string
  /** The issuer's `AUDIENCE` value; tokens must carry it in `aud`. */
  audience: string
  /** JWKS URL, or a service binding to the issuer (recommended on Workers: no public hop). */
  jwks: string | URL | IssuerFetcher
  /**
   * `stateless`: signature and claims only; a signed-out session's tokens keep working until they
   * expire (at most `ACCESS_TOKEN_TTL`, 15 min by default). `feed`: the same, plus the issuer's
   * signed revocation feed (a Token Status List at `/.well-known/status-list`), held per isolate
   * and refreshed in the background every `feedInterval`: a signed-out session's tokens stop
   * working within about `feedInterval` + 1 s, with no subrequest on the request's path (only the
   * first request of an isolate waits for the feed). Tokens must carry the `status` claim naming
   * that feed (`TOKEN_INVALID` otherwise: the client refreshes). `strict`: also asks the issuer on
   * every request whether the session is live (one subrequest); sign-out takes effect at once.
   */
  mode: 'stateless' | 'feed' | 'strict'
  /** Required in strict mode: the issuer's `INTROSPECTION_SECRET`. */
  introspectionSecret?: string
  /**
   * Feed mode: seconds between background refreshes of the feed, per isolate (one fetch in
   * flight; a 304 to `If-None-Match` keeps the held feed). 1 to 300.
   * @default 5
   */
  feedInterval?: number
  /**
   * Feed mode: seconds after its signed `iat` (or past its `exp`) that a held feed stops being
   * trusted, when no newer one could be fetched or verified. Then `staleFeed` decides. More than
   * `feedInterval`, at most 86400. The default covers the issuer's 60 s re-signing, one interval,
   * one timeout and 30 s of clock skew (98 s) with 22 s to spare.
   * @default 120
   */
  maxStaleness?: number
  /**
   * Feed mode, with no trusted feed (none fetched yet, or past `maxStaleness`): `'refuse'` fails
   * closed, 503 `REVOCATION_FEED_UNAVAILABLE` with `Retry-After: feedInterval`; `'stateless'`
   * fails open, verifying as stateless mode does. Each logs one line per episode.
   * @default 'refuse'
   */
  staleFeed?: 'refuse' | 'stateless'
  /** Feed mode: seconds a feed fetch may take, body included (may be fractional). @default 2 */
  feedTimeout?: number
  /** @default ['ES256', 'EdDSA', 'RS256'] */
  algorithms?: readonly ('ES256' | 'EdDSA' | 'RS256')[]
  /** Seconds of clock skew tolerated on `exp`. @default 30 */
  clockSkewLeeway?: number
  /**
   * Seconds a token may live (`exp − iat`) and may have been issued ago, each plus
   * `clockSkewLeeway`: set it to the issuer's `ACCESS_TOKEN_TTL`. A token claiming more is refused
   * (`TOKEN_INVALID`, or `TOKEN_EXPIRED` when issued too long ago) even though its signature
   * verifies, so a mis-minted or replayed long-lived token cannot outlast the issuer's policy.
   * 1 to 86400.
   * @default 900 (the issuer's default `ACCESS_TOKEN_TTL`, 15 min)
   */
  maxTokenAge?: number
  /** Milliseconds a fetched key set is trusted. @default 300000 (the issuer's JWKS max-age) */
  jwksCacheMaxAge?: number
  /** Milliseconds between key-set refetches caused by an unknown `kid`. @default 30000 */
  jwksCooldown?: number
  /**
   * Verified tokens kept per isolate (one access token serves many calls); 0 turns it off.
   * At most this many × 2 KiB of memory. @default 2048
   */
  tokenCacheEntries?: number
  /** Clock seam for tests, epoch ms. @default Date.now */
  now?: () => number
  /**
   * Also admit legacy tokens (DESIGN §8) by asking the issuer (`auth.me`, one subrequest each),
   * which applies its `LEGACY_MODE`, counts the use and supplies `Deprecation`/`Sunset`, passed
   * on here. `c.get('rotor')` is then `{ legacy: true, sub, email }` for a legacy caller.
   * @default false
   */
  legacy?: boolean
  /**
   * Step-up (RFC 9470): what this route also demands of how the user authenticated (`amr`, `acr`,
   * `auth_time`), checked after the token (and in strict mode its session) passed. A token that
   * falls short answers 401 `INSUFFICIENT_USER_AUTHENTICATION` with an
   * `insufficient_user_authentication` challenge; see {@link StepUpOptions}. Behind a shared
   * `requireAuth`, `requireStepUp` states it per route. @default none
   * @example `stepUp: { amr: ['otp'], maxAge: 300 }` (a second factor in the last 5 minutes)
   */
  stepUp?: StepUpOptions
}

/** What `requireAuth` uses where its options are silent; the cache's memory bound follows. */
export const VERIFIER_DEFAULTS = {
  maxTokenAge: 900,
  tokenCacheEntries: 2048,
  /** Longer tokens are verified every time and never cached. */
  maxCachedTokenLength: 2048,
  jwksCacheMaxAge: 300_000,
  jwksCooldown: 30_000,
} as const

export type RotorVariables = { rotor: AccessTokenClaims }
/** With `legacy: true`: a Rotor access token's claims, or a legacy caller's user. */
export type RotorLegacyVariables = { rotor: AccessTokenClaims | LegacyCallerClaims }

/**
 * Hono middleware that admits only requests with a valid Rotor access token and sets its verified
 * claims as `c.get('rotor')`. Failures answer 401 with `error.data.reason` (contract reasons).
 *
 * @example
 * ```ts
 * import { env } from 'cloudflare:workers'
 * app.use('/api/*', requireAuth({ issuer: env.ISSUER, audience: 'rotor', jwks: env.ROTOR, mode: 'strict',
 *   introspectionSecret: env.INTROSPECTION_SECRET }))
 * app.get('/api/me', (c) => c.json({ user: c.get('rotor').sub }))
 * ```
 */
export function requireAuth(
  options: RequireAuthOptions & { legacy: true },
): MiddlewareHandler<{ Variables: RotorLegacyVariables }>
export function requireAuth(
  options: RequireAuthOptions,
): MiddlewareHandler<{ Variables: RotorVariables }>
export function requireAuth(options: RequireAuthOptions): MiddlewareHandler<any> {
  const settings = validate(options)
  const stepUp = options.stepUp && createStepUpCheck(options.stepUp, 'requireAuth')
  const keys = createRemoteKeys({
    jwks: options.jwks,
    issuer: options.issuer,
    algorithms: settings.algorithms,
    cacheMaxAge: settings.jwksCacheMaxAge,
    cooldown: settings.jwksCooldown,
  })
  // One access token serves many calls: its verification is cached (bounded, never past exp).
  const cache = createTokenCache({
    maxEntries: settings.tokenCacheEntries,
    maxTokenLength: VERIFIER_DEFAULTS.maxCachedTokenLength,
    maxAgeMs: settings.jwksCacheMaxAge,
  })
  const via = bindingOf(options.jwks)
  const checkFeed =
    options.mode === 'feed'
      ? createFeedCheck({ ...settings, issuer: options.issuer, via, keys, settings: settings.feed })
      : undefined
  return createMiddleware<{ Variables: RotorLegacyVariables }>(async (c, next) => {
    let passOn: [string, string][] = []
    try {
      const token = readBearer(c.req.header('authorization'))
      if (token === undefined) throw new RotorError('TOKEN_MISSING', 'An access token is required')
      if (options.legacy === true && isLegacyCandidate(token)) {
        const legacy = await verifyLegacyAtIssuer(
          { issuer: options.issuer, via },
          token,
          c.req.raw.headers,
        )
        passOn = legacy.headers
        c.set('rotor', legacy.claims)
      } else {
        const now = settings.now()
        let claims = cache.get(token, now)
        if (!claims) {
          claims = await verifyAccessToken(keys, settings, token, Math.floor(now / 1000))
          cache.set(token, claims, now, settings.clockSkewLeeway)
        }
        if (options.mode === 'strict') {
          const active = await isTokenActive(
            { issuer: options.issuer, via, secret: settings.secret },
            token,
          )
          if (!active) throw new RotorError('SESSION_REVOKED', 'This session is no longer valid')
        }
        if (checkFeed) await checkFeed(claims, now, waitUntilOf(c))
        c.set('rotor', claims)
      }
      const refusal = stepUp?.refuse(c.get('rotor'), Math.floor(settings.now() / 1000))
      if (refusal) return refusal
    } catch (error) {
      if (!isRotorError(error)) throw error
      return refusalResponse(error)
    }
    await next()
    if (passOn.length > 0) {
      // A handler's response may have immutable headers (e.g. one it fetched): copy it first.
      c.res = new Response(c.res.body, c.res)
      for (const [name, value] of passOn) c.res.headers.set(name, value)
    }
  })
}

function validate(options: RequireAuthOptions) {
  if (!URL.canParse(options.issuer)) throw new TypeError('requireAuth: issuer must be a URL')
  if (!options.audience) throw new TypeError('requireAuth: audience is required')
  if (options.mode !== 'stateless' && options.mode !== 'feed' && options.mode !== 'strict') {
    throw new TypeError("requireAuth: mode must be 'stateless', 'feed' or 'strict'")
  }
  const leeway = options.clockSkewLeeway ?? 30
  if (!Number.isInteger(leeway) || leeway < 0 || leeway > 60) {
    throw new TypeError('requireAuth: clockSkewLeeway must be 0 to 60 seconds')
  }
  const maxTokenAge = options.maxTokenAge ?? VERIFIER_DEFAULTS.maxTokenAge
  if (
    !Number.isInteger(maxTokenAge) ||
    maxTokenAge < 1 ||
    maxTokenAge > MAX_ACCESS_TOKEN_LIFETIME
  ) {
    throw new TypeError(
      `requireAuth: maxTokenAge must be 1 to ${MAX_ACCESS_TOKEN_LIFETIME} seconds`,
    )
  }
  if (options.mode === 'strict' && !options.introspectionSecret) {
    throw new TypeError('requireAuth: strict mode needs introspectionSecret')
  }
  return {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: options.algorithms ?? ['ES256', 'EdDSA', 'RS256'],
    clockSkewLeeway: leeway,
    maxTokenAge,
    jwksCacheMaxAge: options.jwksCacheMaxAge ?? VERIFIER_DEFAULTS.jwksCacheMaxAge,
    jwksCooldown: options.jwksCooldown ?? VERIFIER_DEFAULTS.jwksCooldown,
    now: options.now ?? Date.now,
    tokenCacheEntries: options.tokenCacheEntries ?? VERIFIER_DEFAULTS.tokenCacheEntries,
    secret: options.introspectionSecret ?? '',
    feed: validateFeedOptions(options),
  }
}

/** The request's `waitUntil`, where the runtime gave one (Hono throws when it did not). */
function waitUntilOf(c: { executionCtx: { waitUntil: WaitUntil } }): WaitUntil | undefined {
  try {
    const ctx = c.executionCtx
    return (promise) => ctx.waitUntil(promise)
  } catch {
    return undefined
  }
}
