import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp'
import { renderSVG } from 'uqr'
import { TOTP_DIGITS, TOTP_DRIFT_STEPS, TOTP_PERIOD } from '../../contract/index.ts'

/** A new TOTP secret: 160 random bits, the length RFC 4226 §4 recommends for HMAC-SHA-1. */
export function generateTotpSecret(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(20))
}

/** The RFC 6238 time step holding `now` (epoch ms). */
export function timeStep(now: number): number {
  return Math.floor(now / 1000 / TOTP_PERIOD)
}

/**
 * The time step `code` is right for, within `TOTP_DRIFT_STEPS` of `now`'s and later than
 * `lastUsedStep` (a code is never accepted twice); `undefined` when there is none. Every step of
 * the window is computed and compared in constant time, whether or not one matched.
 */
export function matchingStep(
  secret: Uint8Array,
  code: string,
  now: number,
  lastUsedStep: number,
): number | undefined {
  const current = timeStep(now)
  const typed = new TextEncoder().encode(code)
  let found: number | undefined
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
    const expected = new TextEncoder().encode(generateHOTP(secret, BigInt(step), TOTP_DIGITS))
    const same = expected.length === typed.length && crypto.subtle.timingSafeEqual(expected, typed)
    if (same && step > lastUsedStep && found === undefined) found = step
  }
  return found
}

/**
 * What an authenticator app scans: the `otpauth://totp/` URI (issuer, account, SHA-1, 6 digits,
 * 30 s) and the same URI as an SVG QR code.
 */
export function enrolmentUri(issuerName: string, account: string, secret: Uint8Array) {
  const uri = createTOTPKeyURI(issuerName, account, secret, TOTP_PERIOD, TOTP_DIGITS)
  return { uri, qrSvg: renderSVG(uri) }
}
