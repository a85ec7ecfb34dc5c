import type { LegacySettings } from './legacy-settings.ts'
import type { LegacyClaims } from './legacy-token.ts'

/**
 * Why the current phase refuses a verified legacy token, in words fit for the caller, or
 * `undefined` when it is accepted (DESIGN §8). Pure: the issuer, the exchange and token:inspect
 * all decide with this one function.
 */
export function legacyRefusal(
  settings: Pick<LegacySettings, 'mode' | 'maxAge'>,
  claims: LegacyClaims,
  nowSeconds: number,
): string | undefined {
  switch (settings.mode) {
    case 'off':
    case 'enforce':
      return 'Legacy tokens are no longer accepted: sign in again'
    case 'monitor':
      return undefined
    case 'warn':
      if (claims.iat === undefined) {
        return 'This legacy token has no issue time (iat), so it counts as too old: sign in again'
      }
      if (nowSeconds - claims.iat > settings.maxAge) {
        return `This legacy token is older than ${settings.maxAge} seconds: sign in again`
      }
      return undefined
  }
}

/**
 * `Deprecation` (RFC 9745, a structured-field date `@<epoch seconds>`) and `Sunset` (RFC 8594,
 * an HTTP-date) for a response to a call authenticated by a legacy token; none outside warn.
 * Deprecation carries the response time: in warn the token *has been* deprecated, and Rotor has
 * no earlier date to offer; the date clients should act on is Sunset, which RFC 9745 §3 says must
 * not come before Deprecation, hence the cap.
 */
export function deprecationHeaders(
  settings: Pick<LegacySettings, 'mode' | 'sunset'>,
  nowSeconds: number,
): [name: string, value: string][] {
  if (settings.mode !== 'warn' || settings.sunset === undefined) return []
  const sunsetSeconds = Math.floor(Date.parse(settings.sunset) / 1000)
  return [
    ['deprecation', `@${Math.min(nowSeconds, sunsetSeconds)}`],
    ['sunset', settings.sunset],
  ]
}
