import { SIGNING_ALGS } from '../../contract/index.ts'
import type { SigningAlg } from '../../contract/index.ts'
import { parseClientIds } from './client-ids.ts'
import type { ClientIds } from './client-ids.ts'
import { ConfigError } from './config-error.ts'
import { parseMailConfig } from './mail-config.ts'
import type { MailConfig } from './mail-config.ts'
import { parseOidcProviders } from './oidc-providers.ts'
import type { OidcProvider } from './oidc-providers.ts'
import { parseRateLimits } from './rate-limit-config.ts'
import type { RateLimits } from './rate-limit-config.ts'

export type LegacyMode = 'off' | 'monitor' | 'warn' | 'enforce'

/** Everything the issuer reads from `env`, parsed once. Every duration is in seconds. */
export type Config = {
  issuer: string
  audience: string
  accessTokenTtl: number
  refreshIdleTtl: number
  sessionMaxAge: number
  refreshReuseGrace: number
  clockSkewLeeway: number
  signingAlg: SigningAlg
  allowedOrigins: readonly string[]
  /** First-party clients a session may be started for; the first is the default (`CLIENT_IDS`). */
  clientIds: ClientIds
  legacyMode: LegacyMode
  rateLimits: RateLimits
  /** What a refresh from a new country or user agent does: flag the session, or end it. */
  anomalyPolicy: AnomalyPolicy
  /** Seconds audit rows are kept before the scheduled purge deletes them. */
  auditRetention: number
  /** Whether `GET /demo` is served (`DEMO = "on"`); off in deployments, on under `npm run dev`. */
  demo: boolean
  /** The mail hook and one-time codes (README: Recovery and verification). */
  mail: MailConfig
  /** Whether sign-in waits for a verified email address (`REQUIRE_EMAIL_VERIFIED = "on"`). */
  requireEmailVerified: boolean
  /** OpenID providers whose ID tokens may start a session (`OIDC_PROVIDERS`); none by default. */
  oidcProviders: readonly OidcProvider[]
  /**
   * Seconds at most between two signatures of an unchanged revocation feed: its `ttl`, and what
   * bounds a healthy verifier's feed age (README: Revocation feed).
   */
  revocationFeedResign: number
}

export type AnomalyPolicy = 'flag' | 'reauth'

export { ConfigError }

const LEGACY_MODES: readonly LegacyMode[] = ['off', 'monitor', 'warn', 'enforce']

const DEFAULTS = {
  ACCESS_TOKEN_TTL: 900,
  REFRESH_IDLE_TTL: 604_800,
  SESSION_MAX_AGE: 2_592_000,
  REFRESH_REUSE_GRACE: 10,
  CLOCK_SKEW_LEEWAY: 30,
  AUDIT_RETENTION: 7_776_000,
  REVOCATION_FEED_RESIGN: 60,
} as const

type RawEnv = Readonly<Record<string, unknown>>

export function parseConfig(vars: object): Config {
  const env = vars as RawEnv
  const config: Config = {
    issuer: readUrl(env, 'ISSUER'),
    audience: readString(env, 'AUDIENCE'),
    accessTokenTtl: readSeconds(env, 'ACCESS_TOKEN_TTL', 1, 86_400),
    refreshIdleTtl: readSeconds(env, 'REFRESH_IDLE_TTL', 1, 31_536_000),
    sessionMaxAge: readSeconds(env, 'SESSION_MAX_AGE', 1, 31_536_000),
    refreshReuseGrace: readSeconds(env, 'REFRESH_REUSE_GRACE', 0, 300),
    clockSkewLeeway: readSeconds(env, 'CLOCK_SKEW_LEEWAY', 0, 60),
    signingAlg: readChoice(env, 'SIGNING_ALG', SIGNING_ALGS, 'ES256'),
    allowedOrigins: readOrigins(env, 'ALLOWED_ORIGINS'),
    clientIds: parseClientIds(env),
    legacyMode: readChoice(env, 'LEGACY_MODE', LEGACY_MODES, 'off'),
    rateLimits: parseRateLimits(env),
    anomalyPolicy: readChoice(env, 'ANOMALY_POLICY', ['flag', 'reauth'] as const, 'flag'),
    auditRetention: readSeconds(env, 'AUDIT_RETENTION', 86_400, 315_360_000),
    demo: readChoice(env, 'DEMO', ['off', 'on'] as const, 'off') === 'on',
    mail: parseMailConfig(env, readUrl(env, 'ISSUER')),
    requireEmailVerified:
      readChoice(env, 'REQUIRE_EMAIL_VERIFIED', ['off', 'on'] as const, 'off') === 'on',
    oidcProviders: parseOidcProviders(env),
    revocationFeedResign: readSeconds(env, 'REVOCATION_FEED_RESIGN', 1, 300),
  }
  if (config.requireEmailVerified && config.mail.transport === 'off') {
    throw new ConfigError('REQUIRE_EMAIL_VERIFIED "on" needs a MAIL_TRANSPORT to send the codes')
  }
  if (config.refreshIdleTtl > config.sessionMaxAge) {
    throw new ConfigError('REFRESH_IDLE_TTL must not exceed SESSION_MAX_AGE')
  }
  return config
}

function readString(env: RawEnv, name: string): string {
  const value = env[name]
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`${name} is missing: set it in wrangler.toml [vars] or with --var`)
  }
  return value.trim()
}

function readUrl(env: RawEnv, name: string): string {
  const value = readString(env, name)
  if (!URL.canParse(value)) throw new ConfigError(`${name} must be an absolute URL`)
  return value
}

/** A whole number of seconds within bounds, or `fallback` when unset; names the value if bad. */
export function readSecondsValue(
  value: unknown,
  name: string,
  bounds: { min: number; max: number; fallback: number },
): number {
  const { min, max } = bounds
  if (value === undefined || value === '') return bounds.fallback
  const seconds = typeof value === 'number' ? value : Number(value)
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new ConfigError(`${name} must be a whole number of seconds from ${min} to ${max}`)
  }
  return seconds
}

function readSeconds(env: RawEnv, name: keyof typeof DEFAULTS, min: number, max: number): number {
  return readSecondsValue(env[name], name, { min, max, fallback: DEFAULTS[name] })
}

function readChoice<T extends string>(
  env: RawEnv,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = env[name]
  if (value === undefined || value === '') return fallback
  if (!choices.includes(value as T)) {
    throw new ConfigError(`${name} must be one of ${choices.join(', ')}`)
  }
  return value as T
}

function readOrigins(env: RawEnv, name: string): readonly string[] {
  const value = env[name]
  if (value === undefined || value === '') return []
  if (typeof value !== 'string') throw new ConfigError(`${name} must be a comma-separated list`)
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      if (!URL.canParse(entry) || new URL(entry).origin !== entry) {
        throw new ConfigError(`${name} entries must be origins like https://app.example.com`)
      }
      return entry
    })
}
