import { createMiddleware } from 'hono/factory'
import type { MiddlewareHandler } from 'hono'
import {
  MAX_STEP_UP_AGE,
  MAX_STEP_UP_VALUES,
  RotorError,
  isStepUpValue,
} from '../contract/index.ts'
import { refusalResponse } from './refusal.ts'
import type { AccessTokenClaims, StepUpRequirement } from '../contract/index.ts'
import type { LegacyCallerClaims } from './legacy-at-issuer.ts'

/**
 * What a route demands of how the user authenticated (step-up, RFC 9470), beyond a valid token.
 * Every member given must hold; a token that falls short is refused with 401
 * `INSUFFICIENT_USER_AUTHENTICATION` and a challenge naming the whole requirement, so the app can
 * ask for a code (`rotor.stepUp`) and retry.
 *
 * @example
 * ```ts
 * // A second factor within the last 5 minutes:
 * requireAuth({ ...common, stepUp: { amr: ['otp'], maxAge: 300 } })
 * ```
 */
export type StepUpOptions = {
  /**
   * Methods (RFC 8176) the token's `amr` must name, every one: `['otp']` for a second factor
   * (Rotor adds `otp` and `mfa` on a TOTP or recovery-code sign-in or step-up). Sent as
   * `amr_values`, Rotor's extension of the challenge.
   */
  amr?: readonly string[]
  /**
   * Levels the token's `acr` must be one of, most preferred first: Rotor writes `urn:rotor:aal1`
   * (one factor) and `urn:rotor:aal2` (two). Sent as the challenge's `acr_values`.
   */
  acr?: readonly string[]
  /**
   * Seconds since the user last authenticated (the token's `auth_time`: sign-in or step-up), at
   * most; a token without `auth_time` falls short. Exact: no clock-skew leeway is added. 1 to
   * 31536000. Sent as the challenge's `max_age`.
   */
  maxAge?: number
}

/** Verified claims as `requireAuth` sets them, a Rotor access token's or a legacy caller's. */
type CallerClaims = AccessTokenClaims | LegacyCallerClaims

/** Checks a route's step-up demand against verified claims; built once per middleware. */
export type StepUpCheck = {
  /** The requirement as the challenge states it. */
  requirement: StepUpRequirement
  /** The refusal for claims that fall short at `nowSeconds`; `undefined` when they satisfy it. */
  refuse(claims: CallerClaims, nowSeconds: number): Response | undefined
}

/** Validates `options` once, at construction; a bad value throws a `TypeError` naming it. */
export function createStepUpCheck(options: StepUpOptions, where: string): StepUpCheck {
  const requirement = validateStepUp(options, where)
  return {
    requirement,
    refuse(claims, nowSeconds) {
      const shortfall = describeShortfall(requirement, claims, nowSeconds)
      if (shortfall === undefined) return undefined
      const error = new RotorError('INSUFFICIENT_USER_AUTHENTICATION', shortfall)
      return refusalResponse(error, requirement)
    },
  }
}

/**
 * Hono middleware for a route behind a shared `requireAuth`: demands `options` of the claims
 * `requireAuth` verified, so one verifier (one key cache) serves every route and each route
 * states its own step-up. Equivalent to `requireAuth({ ..., stepUp })` on that route alone.
 *
 * @example
 * ```ts
 * app.use('/api/*', requireAuth(common))
 * app.post('/api/transfer', requireStepUp({ amr: ['otp'], maxAge: 300 }), transfer)
 * ```
 */
export function requireStepUp(
  options: StepUpOptions & {
    /** Clock seam for tests, epoch ms. @default Date.now */
    now?: () => number
  },
): MiddlewareHandler<{ Variables: { rotor: CallerClaims } }> {
  const { now = Date.now, ...demand } = options
  const check = createStepUpCheck(demand, 'requireStepUp')
  return createMiddleware<{ Variables: { rotor: CallerClaims } }>(async (c, next) => {
    const claims = c.get('rotor')
    if (claims === undefined) throw new Error('requireStepUp: requireAuth must run first')
    const refusal = check.refuse(claims, Math.floor(now() / 1000))
    if (refusal) return refusal
    await next()
  })
}

function describeShortfall(
  requirement: StepUpRequirement,
  claims: CallerClaims,
  nowSeconds: number,
): string | undefined {
  const { amr, acr, auth_time } = claims as Partial<AccessTokenClaims>
  const missing = requirement.amrValues?.filter((method) => !amr?.includes(method)) ?? []
  if (missing.length > 0)
    return `A different authentication method is required (${missing.join(', ')})`
  if (requirement.acrValues && (acr === undefined || !requirement.acrValues.includes(acr)))
    return 'A different authentication level is required'
  if (
    requirement.maxAge !== undefined &&
    (auth_time === undefined || nowSeconds - auth_time > requirement.maxAge)
  )
    return 'More recent authentication is required'
  return undefined
}

const KEYS = new Set(['amr', 'acr', 'maxAge'])

function validateStepUp(options: StepUpOptions, where: string): StepUpRequirement {
  const fail = (message: string) => new TypeError(`${where}: stepUp ${message}`)
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw fail('must be an object')
  const unknown = Object.keys(options).filter((key) => !KEYS.has(key))
  if (unknown.length > 0) throw fail(`has unknown options: ${unknown.join(', ')}`)
  const { amr, acr, maxAge } = options
  if (amr === undefined && acr === undefined && maxAge === undefined)
    throw fail('must name amr, acr or maxAge')
  const requirement: StepUpRequirement = {}
  if (acr !== undefined) requirement.acrValues = valueList(acr, 'acr', fail)
  if (maxAge !== undefined) {
    if (!Number.isInteger(maxAge) || maxAge < 1 || maxAge > MAX_STEP_UP_AGE)
      throw fail(`maxAge must be 1 to ${MAX_STEP_UP_AGE} seconds`)
    requirement.maxAge = maxAge
  }
  if (amr !== undefined) requirement.amrValues = valueList(amr, 'amr', fail)
  return requirement
}

function valueList(
  values: readonly string[],
  name: string,
  fail: (message: string) => TypeError,
): string[] {
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    values.length > MAX_STEP_UP_VALUES ||
    !values.every(isStepUpValue) ||
    new Set(values).size !== values.length
  )
    throw fail(
      `${name} must list 1 to ${MAX_STEP_UP_VALUES} distinct values of printable characters without spaces or quotes`,
    )
  return [...values]
}
