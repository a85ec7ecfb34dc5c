import { parseChallenges } from './www-authenticate.ts'

/**
 * What a resource server asks of how the user authenticated (RFC 9470), as its
 * `insufficient_user_authentication` challenge states it; every member the server set must hold.
 */
export type StepUpRequirement = {
  /** `acr_values`: the token's `acr` must be one of these, most preferred first. */
  acrValues?: string[]
  /** `max_age`: at most this many seconds since the user last authenticated (`auth_time`). */
  maxAge?: number
  /** `amr_values` (Rotor's extension): the token's `amr` must name every one of these methods. */
  amrValues?: string[]
}

/** The RFC 9470 §3 error code of a step-up challenge. */
export const INSUFFICIENT_USER_AUTHENTICATION_ERROR = 'insufficient_user_authentication'

/** Longest `max_age` a requirement may state, in seconds (a year). */
export const MAX_STEP_UP_AGE = 31_536_000
/** Most values a requirement may list in `acr_values` or `amr_values`. */
export const MAX_STEP_UP_VALUES = 16

// A value travels space-separated inside a quoted string: printable ASCII, no space, `"` or `\`.
const VALUE = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/

/** Whether `value` can be named in a requirement: 1–128 printable characters, no space or quote. */
export function isStepUpValue(value: unknown): value is string {
  return typeof value === 'string' && VALUE.test(value)
}

/**
 * The `WWW-Authenticate` value of a step-up refusal (RFC 9470 §3): `Bearer
 * error="insufficient_user_authentication"` with `error_description`, `acr_values`, `max_age`
 * and `amr_values`, each present when the requirement names it. The values are checked when the
 * requirement is built (`isStepUpValue`); the description loses anything a quoted string
 * cannot hold.
 */
export function stepUpChallenge(requirement: StepUpRequirement, description: string): string {
  const text = description.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '')
  const params = [`error="${INSUFFICIENT_USER_AUTHENTICATION_ERROR}"`]
  if (text) params.push(`error_description="${text}"`)
  if (requirement.acrValues) params.push(`acr_values="${requirement.acrValues.join(' ')}"`)
  if (requirement.maxAge !== undefined) params.push(`max_age="${requirement.maxAge}"`)
  if (requirement.amrValues) params.push(`amr_values="${requirement.amrValues.join(' ')}"`)
  return `Bearer ${params.join(', ')}`
}

/**
 * The requirement of a `WWW-Authenticate` value's one Bearer `insufficient_user_authentication`
 * challenge, or `undefined` when there is none, or more than one, or it is malformed (a parameter
 * twice, a `max_age` that is not a number of seconds, an empty or oversized list).
 *
 * @example
 * ```ts
 * const needed = parseStepUpChallenge(response.headers.get('www-authenticate'))
 * if (needed) await askForCode(needed) // { amrValues: ['otp'], maxAge: 300 }
 * ```
 */
export function parseStepUpChallenge(
  header: string | null | undefined,
): StepUpRequirement | undefined {
  const stepUps = (parseChallenges(header) ?? []).filter(
    ({ scheme, params }) =>
      scheme === 'bearer' &&
      (params === undefined || params.get('error') === INSUFFICIENT_USER_AUTHENTICATION_ERROR),
  )
  const params = stepUps.length === 1 ? stepUps[0]!.params : undefined
  if (!params || params.get('error') !== INSUFFICIENT_USER_AUTHENTICATION_ERROR) return undefined
  return readStepUpRequirement({
    acrValues: listOf(params.get('acr_values')),
    maxAge: secondsOf(params.get('max_age')),
    amrValues: listOf(params.get('amr_values')),
  })
}

/**
 * `value` as a requirement when it is exactly one (only its three members, each well formed), as
 * a verifier's refusal carries it in `error.data.stepUp`; `undefined` otherwise.
 */
export function readStepUpRequirement(value: unknown): StepUpRequirement | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const { acrValues, maxAge, amrValues, ...rest } = value as Record<string, unknown>
  if (Object.keys(rest).length > 0) return undefined
  const requirement: StepUpRequirement = {}
  if (acrValues !== undefined) {
    if (!isValueList(acrValues)) return undefined
    requirement.acrValues = [...acrValues]
  }
  if (maxAge !== undefined) {
    if (!Number.isInteger(maxAge) || (maxAge as number) < 0 || (maxAge as number) > MAX_STEP_UP_AGE)
      return undefined
    requirement.maxAge = maxAge as number
  }
  if (amrValues !== undefined) {
    if (!isValueList(amrValues)) return undefined
    requirement.amrValues = [...amrValues]
  }
  return requirement
}

function isValueList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= MAX_STEP_UP_VALUES &&
    value.every(isStepUpValue)
  )
}

/** A space-separated list; a malformed one becomes a value `readStepUpRequirement` refuses. */
function listOf(value: string | undefined): unknown {
  if (value === undefined) return undefined
  const values = value.split(' ')
  return values.includes('') ? null : values
}

function secondsOf(value: string | undefined): unknown {
  if (value === undefined) return undefined
  return /^[0-9]{1,10}$/.test(value) ? Number(value) : null
}
