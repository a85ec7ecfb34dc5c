import { ConfigError } from './config-error.ts'

/** At most `limit` events per fixed window of `window` seconds. */
export type RateLimit = { limit: number; window: number }

export type RateLimits = {
  /** Sign-in attempts per client IP. */
  loginIp: RateLimit
  /** Failed sign-ins per account (by email, known or not, so a 429 reveals nothing). */
  loginAccount: RateLimit
  /**
   * Consecutive failures after which each further attempt waits 2^(n − this) seconds. Failures
   * count as they resolve: sign-ins still in flight are never taken for failures.
   */
  loginBackoffAfter: number
  /** Registrations per client IP. */
  registerIp: RateLimit
  /** Refreshes per session. */
  refreshSession: RateLimit
  /** Unknown refresh tokens per client IP: each costs a D1 batch, and none is ever a guess away. */
  refreshIp: RateLimit
  /** Legacy-token exchanges per user: each one mints a session. */
  exchangeUser: RateLimit
  /** Revocations asked for per client IP (`sessions.revoke`, `/oauth/revoke`), one budget. */
  revokeIp: RateLimit
  /** One-time codes mailed (reset, verification) per client IP: each one sends a message. */
  codeRequestIp: RateLimit
  /** One-time codes mailed per address, known or not (no mail bombing, no existence signal). */
  codeRequestAccount: RateLimit
  /** Guesses at one-time codes per client IP. */
  codeAttemptIp: RateLimit
  /** Guesses at one-time codes per address, over every code it is sent. */
  codeAttemptAccount: RateLimit
  /** Second-factor codes (TOTP or recovery) tried per client IP. */
  mfaIp: RateLimit
  /**
   * Wrong second-factor codes per account, and at most as many in flight at once; the sign-in
   * back-off (`loginBackoffAfter`) applies to them too.
   */
  mfaAccount: RateLimit
}

/** DESIGN §7 defaults; each overridable as `"<count>/<seconds>"`. */
const DEFAULTS = {
  RATE_LIMIT_LOGIN_IP: '60/60',
  RATE_LIMIT_LOGIN_ACCOUNT: '10/900',
  RATE_LIMIT_REGISTER_IP: '30/3600',
  RATE_LIMIT_REFRESH_SESSION: '60/60',
  RATE_LIMIT_REFRESH_IP: '60/60',
  RATE_LIMIT_EXCHANGE_USER: '10/3600',
  RATE_LIMIT_REVOKE_IP: '30/60',
  RATE_LIMIT_CODE_REQUEST_IP: '20/3600',
  RATE_LIMIT_CODE_REQUEST_ACCOUNT: '5/3600',
  RATE_LIMIT_CODE_ATTEMPT_IP: '30/900',
  RATE_LIMIT_CODE_ATTEMPT_ACCOUNT: '10/900',
  RATE_LIMIT_MFA_IP: '30/900',
  RATE_LIMIT_MFA_ACCOUNT: '10/3600',
} as const

/** Consecutive failures before the back-off starts (DESIGN §9's 5), `RATE_LIMIT_LOGIN_BACKOFF_AFTER`. */
const LOGIN_BACKOFF_AFTER = '5'

export function parseRateLimits(env: Readonly<Record<string, unknown>>): RateLimits {
  return {
    loginIp: readLimit(env, 'RATE_LIMIT_LOGIN_IP'),
    loginAccount: readLimit(env, 'RATE_LIMIT_LOGIN_ACCOUNT'),
    loginBackoffAfter: readBackoffAfter(env),
    registerIp: readLimit(env, 'RATE_LIMIT_REGISTER_IP'),
    refreshSession: readLimit(env, 'RATE_LIMIT_REFRESH_SESSION'),
    refreshIp: readLimit(env, 'RATE_LIMIT_REFRESH_IP'),
    exchangeUser: readLimit(env, 'RATE_LIMIT_EXCHANGE_USER'),
    revokeIp: readLimit(env, 'RATE_LIMIT_REVOKE_IP'),
    codeRequestIp: readLimit(env, 'RATE_LIMIT_CODE_REQUEST_IP'),
    codeRequestAccount: readLimit(env, 'RATE_LIMIT_CODE_REQUEST_ACCOUNT'),
    codeAttemptIp: readLimit(env, 'RATE_LIMIT_CODE_ATTEMPT_IP'),
    codeAttemptAccount: readLimit(env, 'RATE_LIMIT_CODE_ATTEMPT_ACCOUNT'),
    mfaIp: readLimit(env, 'RATE_LIMIT_MFA_IP'),
    mfaAccount: readLimit(env, 'RATE_LIMIT_MFA_ACCOUNT'),
  }
}

function readLimit(env: Readonly<Record<string, unknown>>, name: keyof typeof DEFAULTS): RateLimit {
  const value = env[name] === undefined || env[name] === '' ? DEFAULTS[name] : env[name]
  const match = typeof value === 'string' ? /^(\d{1,6})\/(\d{1,6})$/.exec(value.trim()) : null
  const limit = Number(match?.[1])
  const window = Number(match?.[2])
  if (!match || limit < 1 || window < 1 || window > 86_400) {
    throw new ConfigError(`${name} must look like "<count>/<seconds>", e.g. "${DEFAULTS[name]}"`)
  }
  return { limit, window }
}

function readBackoffAfter(env: Readonly<Record<string, unknown>>): number {
  const name = 'RATE_LIMIT_LOGIN_BACKOFF_AFTER'
  const value = env[name] === undefined || env[name] === '' ? LOGIN_BACKOFF_AFTER : env[name]
  const count = typeof value === 'string' && /^\d{1,6}$/.test(value.trim()) ? Number(value) : 0
  if (count < 1) {
    throw new ConfigError(`${name} must be a whole number of failures from 1, e.g. "5"`)
  }
  return count
}
