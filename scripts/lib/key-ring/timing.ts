import { JWKS_MAX_AGE } from '../../../contract/index.ts'

export type TokenTiming = {
  /** `ACCESS_TOKEN_TTL`, seconds. @default 900 */
  accessTokenTtl: number
  /** `CLOCK_SKEW_LEEWAY`, seconds. @default 30 */
  clockSkewLeeway: number
}

export const DEFAULT_TIMING: TokenTiming = { accessTokenTtl: 900, clockSkewLeeway: 30 }

/**
 * How long a key must stay published after it stopped signing: its last token lives for the
 * access-token lifetime plus the verifiers' leeway, and a verifier may hold a JWKS fetched just
 * before the key was dropped for one more cache lifetime.
 */
export function retiredKeepSeconds(timing: TokenTiming): number {
  return timing.accessTokenTtl + timing.clockSkewLeeway + JWKS_MAX_AGE
}

/** `5s`, `15m 0s`, `2h 3m`, `4d 1h`: ages and waits for people, not machines. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`
}
