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
 * When a legacy token counts as deprecated, and when it stops working: `since` (epoch seconds)
 * becomes `Deprecation` (RFC 9745) and `sunset` (an HTTP-date) `Sunset` (RFC 8594) on the response.
 */
export type Deprecation = { since: number; sunset: string }

/**
 * The deprecation a call authenticated by a legacy token carries: only in warn. `since` is the
 * response time: in warn the token *has been* deprecated, and Rotor has no earlier date to offer;
 * the date clients should act on is the sunset, which RFC 9745 §3 says must not come before the
 * deprecation, hence the cap.
 */
export function legacyDeprecation(
  settings: Pick<LegacySettings, 'mode' | 'sunset'>,
  nowSeconds: number,
): Deprecation | undefined {
  if (settings.mode !== 'warn' || settings.sunset === undefined) return undefined
  const sunsetSeconds = Math.floor(Date.parse(settings.sunset) / 1000)
  return { since: Math.min(nowSeconds, sunsetSeconds), sunset: settings.sunset }
}
