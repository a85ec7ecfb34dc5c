import { errors } from 'jose'
import { ConfigError } from '../../worker/config/config.ts'
import { isRotorError } from '../../contract/index.ts'
import { legacyRefusal } from '../../worker/legacy/legacy-policy.ts'
import { parseLegacySettings } from '../../worker/legacy/legacy-settings.ts'
import { verifyLegacyToken } from '../../worker/legacy/legacy-token.ts'
import { cannotJudge, describeTime, duration, refused } from './legacy-inspect-verdict.ts'
import type { Config } from '../../worker/config/config.ts'
import type { LegacyKey } from '../../worker/legacy/legacy-key.ts'
import type { LegacySettings } from '../../worker/legacy/legacy-settings.ts'
import type { LegacyClaims } from '../../worker/legacy/legacy-token.ts'
import type { Decoded, Judgement } from './legacy-inspect-verdict.ts'

/** Any JWT not typed `at+jwt`: the legacy path, phase by phase (DESIGN §8). */
export async function inspectLegacyToken(
  token: string,
  { header, claims }: Decoded,
  env: Readonly<Record<string, unknown>>,
  config: Config,
  now: number,
): Promise<Judgement> {
  let settings: LegacySettings
  try {
    settings = parseLegacySettings(env, config)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return cannotJudge(error.message)
  }
  if (settings.mode === 'off' || settings.key === undefined) {
    const typ = header.typ === undefined ? 'no typ' : `typ ${JSON.stringify(header.typ)}`
    return refused('TOKEN_INVALID', [
      `It is not a Rotor access token (${typ}, not at+jwt), and LEGACY_MODE is off: there is no legacy path, so it is an invalid access token.`,
    ])
  }
  const { key } = settings
  const notes = keyNotes(key)
  if (header.alg === 'none') return refused('TOKEN_INVALID', ['It is unsigned (alg none).'], notes)
  if (header.alg !== key.alg) {
    return refused(
      'TOKEN_INVALID',
      [
        `It is signed with ${String(header.alg)}, but the legacy key (${key.source}) pins ${key.alg}.`,
      ],
      notes,
    )
  }
  const nowSeconds = Math.floor(now / 1000)
  let verified: LegacyClaims
  try {
    verified = await verifyLegacyToken(key, token, nowSeconds, settings.leeway)
  } catch (error) {
    if (error instanceof ConfigError) return cannotJudge(error.message)
    if (!isRotorError(error)) throw error
    return refused(
      error.reason,
      [explain(error.cause, claims, key, nowSeconds) ?? `${error.message}.`],
      notes,
    )
  }
  if (legacyRefusal(settings, verified, nowSeconds) !== undefined) {
    const why = [phaseRefusal(settings, verified, nowSeconds)]
    return refused('LEGACY_TOKEN_REJECTED', why, [
      ...notes,
      'The issuer still counts this use for the report.',
    ])
  }
  return {
    verdict: 'accepted',
    why: [
      `Signed with ${key.source} (${key.alg}). ${phaseAcceptance(settings, verified, nowSeconds)}`,
    ],
    notes: [
      `The issuer also requires sub ${JSON.stringify(verified.sub)} to be a Rotor user id; that needs D1 and is not checked here.`,
      'auth.exchangeLegacy would trade it for a Rotor session now.',
      ...notes,
    ],
  }
}

function phaseRefusal(settings: LegacySettings, claims: LegacyClaims, nowSeconds: number): string {
  if (settings.mode !== 'warn') return 'LEGACY_MODE is enforce: every legacy token is refused.'
  if (claims.iat === undefined) {
    return 'LEGACY_MODE is warn and it has no iat, so it counts as older than LEGACY_MAX_AGE.'
  }
  return `LEGACY_MODE is warn and it was ${describeTime(claims.iat, nowSeconds, 'issued')}, longer ago than LEGACY_MAX_AGE (${duration(settings.maxAge)}).`
}

function phaseAcceptance(
  settings: LegacySettings,
  claims: LegacyClaims,
  nowSeconds: number,
): string {
  if (settings.mode === 'monitor') return 'LEGACY_MODE is monitor: accepted as before, and counted.'
  const cutOff =
    claims.iat === undefined
      ? ''
      : ` It will be refused once ${describeTime(claims.iat + settings.maxAge, nowSeconds, 'it passes LEGACY_MAX_AGE')}.`
  return `LEGACY_MODE is warn: accepted, with Deprecation and Sunset: ${settings.sunset}.${cutOff}`
}

function explain(
  cause: unknown,
  claims: Record<string, unknown>,
  key: LegacyKey,
  nowSeconds: number,
) {
  if (cause instanceof errors.JWSSignatureVerificationFailed) {
    return `Its signature does not verify with ${key.source}: signed with another secret or key, or altered.`
  }
  if (cause instanceof errors.JWTExpired) {
    return `It carries an exp and ${describeTime(Number(claims.exp), nowSeconds, 'expired')}.`
  }
  if (cause instanceof errors.JWTClaimValidationFailed && cause.reason === 'missing') {
    return `It has no "${cause.claim}" claim; legacy tokens name the Rotor user in sub.`
  }
  if (typeof claims.iat === 'number' && claims.iat > nowSeconds) {
    return `It claims to be issued in the future (${describeTime(claims.iat, nowSeconds, 'issued')}).`
  }
  return undefined
}

function keyNotes(key: LegacyKey): string[] {
  if (key.secretBytes === undefined || key.secretBytes >= 32) return []
  return [
    `LEGACY_JWT_SECRET is ${key.secretBytes} bytes; RFC 7518 §3.2 asks at least 32 for HS256, one more reason to finish the migration.`,
  ]
}
