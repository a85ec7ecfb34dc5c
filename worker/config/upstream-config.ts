import { ConfigError } from './config-error.ts'

/**
 * Where lazy migration asks about users Rotor has no password for yet (README, "Lazy migration"):
 * a service binding, or a URL with a shared secret. Parsed once at start-up; absent when neither
 * `UPSTREAM_PASSWORDS` nor `UPSTREAM_PASSWORD_URL` is set.
 */
export type UpstreamSettings = {
  /** The value that configured it, for log lines. */
  source: 'UPSTREAM_PASSWORDS' | 'UPSTREAM_PASSWORD_URL'
  /** The bound worker (`UPSTREAM_PASSWORDS`); unset when Rotor fetches `url` over the Internet. */
  binding: Fetcher | undefined
  /** Where the check is POSTed; for a binding, a fixed URL whose host the binding ignores. */
  url: string
  /** Sent as `Authorization: Bearer <secret>` (`UPSTREAM_PASSWORD_SECRET`). */
  secret: string | undefined
  /** How long one check may take, answer body included, in milliseconds (`UPSTREAM_TIMEOUT`). */
  timeoutMs: number
}

/** The URL a bound upstream worker is asked at: its host is ignored, its path is the protocol's. */
export const BOUND_UPSTREAM_URL = 'https://upstream-passwords.internal/check-password'

export const UPSTREAM_TIMEOUT = { min: 0.1, max: 10, fallback: 3 } as const

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

export function parseUpstreamSettings(
  env: Readonly<Record<string, unknown>>,
): UpstreamSettings | undefined {
  const binding = readBinding(env['UPSTREAM_PASSWORDS'])
  const url = present(env, 'UPSTREAM_PASSWORD_URL')
  const secret = present(env, 'UPSTREAM_PASSWORD_SECRET')
  if (binding && url !== undefined)
    throw new ConfigError('Set UPSTREAM_PASSWORDS or UPSTREAM_PASSWORD_URL, not both')
  if (!binding && url === undefined) {
    if (secret !== undefined)
      throw new ConfigError(
        'UPSTREAM_PASSWORD_SECRET is set but neither UPSTREAM_PASSWORDS nor UPSTREAM_PASSWORD_URL is',
      )
    return undefined
  }
  if (url !== undefined && secret === undefined)
    throw new ConfigError('UPSTREAM_PASSWORD_URL needs the UPSTREAM_PASSWORD_SECRET secret')
  if (secret !== undefined && (secret.length < 32 || !/^[!-~]+$/.test(secret)))
    throw new ConfigError(
      'UPSTREAM_PASSWORD_SECRET must be at least 32 printable ASCII characters, no spaces',
    )
  return {
    source: binding ? 'UPSTREAM_PASSWORDS' : 'UPSTREAM_PASSWORD_URL',
    binding,
    url: url === undefined ? BOUND_UPSTREAM_URL : readUrl(url),
    secret,
    timeoutMs: readTimeout(env['UPSTREAM_TIMEOUT']) * 1000,
  }
}

function readBinding(value: unknown): Fetcher | undefined {
  if (value === undefined || value === '') return undefined
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof Reflect.get(value, 'fetch') !== 'function'
  )
    throw new ConfigError('UPSTREAM_PASSWORDS must be a service binding ([[services]] in wrangler)')
  return value as Fetcher
}

/** HTTPS, or plain HTTP to this machine only (a local upstream under `npm run dev`). */
function readUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined
  const local = url?.protocol === 'http:' && LOOPBACK.has(url.hostname)
  if (!url || (url.protocol !== 'https:' && !local))
    throw new ConfigError(
      'UPSTREAM_PASSWORD_URL must be an https:// URL (http:// only to localhost)',
    )
  if (url.username !== '' || url.password !== '' || url.hash !== '')
    throw new ConfigError('UPSTREAM_PASSWORD_URL must not hold credentials or a #fragment')
  return url.href
}

/** Seconds, fractions allowed: a test double answers slowly for a fifth of a second, not three. */
function readTimeout(value: unknown): number {
  if (value === undefined || value === '') return UPSTREAM_TIMEOUT.fallback
  const seconds = typeof value === 'number' ? value : Number(value)
  const { min, max } = UPSTREAM_TIMEOUT
  if (typeof value === 'boolean' || !Number.isFinite(seconds) || seconds < min || seconds > max)
    throw new ConfigError(`UPSTREAM_TIMEOUT must be a number of seconds from ${min} to ${max}`)
  return seconds
}

function present(env: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = env[name]
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string') throw new ConfigError(`${name} must be a string`)
  return value.trim()
}
