import { ConfigError, readSecondsValue } from '../config/config.ts'
import { parseLegacyKey } from './legacy-key.ts'
import type { Config, LegacyMode } from '../config/config.ts'
import type { LegacyKey } from './legacy-key.ts'

/** Legacy migration settings (DESIGN §8), parsed once at start-up beside `Config`. */
export type LegacySettings = {
  mode: LegacyMode
  /** Seconds; in warn, a legacy token issued longer ago than this (by `iat`) is refused. */
  maxAge: number
  /** RFC 8594 HTTP-date sent as `Sunset` in warn. Required in warn. */
  sunset: string | undefined
  /** Required in every mode but off. */
  key: LegacyKey | undefined
  /** Seconds of clock skew tolerated on `iat` and `exp` (`CLOCK_SKEW_LEEWAY`). */
  leeway: number
}

/** 90 days: in warn, tokens older than this are refused first. */
export const DEFAULT_LEGACY_MAX_AGE = 7_776_000
const MAX_LEGACY_MAX_AGE = 315_360_000

/**
 * Reads `LEGACY_MAX_AGE`, `LEGACY_SUNSET` and the legacy key for `config.legacyMode`. Every phase
 * is a configuration change: what a phase needs is checked at start-up and named when missing.
 */
export function parseLegacySettings(
  env: Readonly<Record<string, unknown>>,
  config: Pick<Config, 'legacyMode' | 'clockSkewLeeway'>,
): LegacySettings {
  const mode = config.legacyMode
  const settings: LegacySettings = {
    mode,
    maxAge: readSecondsValue(env.LEGACY_MAX_AGE, 'LEGACY_MAX_AGE', {
      min: 60,
      max: MAX_LEGACY_MAX_AGE,
      fallback: DEFAULT_LEGACY_MAX_AGE,
    }),
    sunset: readSunset(env.LEGACY_SUNSET),
    key: parseLegacyKey(env),
    leeway: config.clockSkewLeeway,
  }
  if (mode !== 'off' && settings.key === undefined) {
    throw new ConfigError(
      `LEGACY_MODE=${mode} needs the legacy key: the LEGACY_JWT_SECRET secret (HS256) or LEGACY_PUBLIC_KEY (RS256)`,
    )
  }
  if (mode === 'warn' && settings.sunset === undefined) {
    throw new ConfigError('LEGACY_MODE=warn needs LEGACY_SUNSET, the HTTP date sent as Sunset')
  }
  return settings
}

function readSunset(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined
  // RFC 8594 §3 uses HTTP-date; its IMF-fixdate form is exactly what toUTCString() writes.
  const text = typeof value === 'string' ? value.trim() : ''
  const date = new Date(text)
  if (Number.isNaN(date.getTime()) || date.toUTCString() !== text) {
    throw new ConfigError(
      'LEGACY_SUNSET must be an HTTP date like "Wed, 30 Jun 2027 00:00:00 GMT" (RFC 8594)',
    )
  }
  return text
}
