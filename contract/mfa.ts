/**
 * The second factor (README: Second factor): TOTP codes (RFC 6238), recovery codes, the sign-in
 * challenge, and how the way a user signed in shows in every access token (`amr`, `acr`,
 * `auth_time`).
 */

/** Digits of a TOTP code (RFC 6238 with SHA-1: what every authenticator app shows). */
export const TOTP_DIGITS = 6
/** Seconds one TOTP time step lasts. */
export const TOTP_PERIOD = 30
/** Time steps of drift accepted either side of the issuer's clock: ±30 s. */
export const TOTP_DRIFT_STEPS = 1

/** Recovery codes handed out at once, each usable one time. */
export const RECOVERY_CODE_COUNT = 10

/** Whether `value` has the shape of a TOTP code (its digits, nothing else). */
export function isTotpCodeShaped(value: string): boolean {
  return value.length === TOTP_DIGITS && /^[0-9]+$/.test(value)
}

/**
 * A recovery code as the issuer compares it: 16 characters of RFC 4648 base32 (80 bits), lower
 * case, without the dashes it is shown with (`abcd-efgh-ijkl-mnop`) or spaces; `undefined` when
 * it cannot be one.
 */
export function normalizeRecoveryCode(value: string): string | undefined {
  const bare = value.replace(/[\s-]/g, '').toLowerCase()
  return /^[a-z2-7]{16}$/.test(bare) ? bare : undefined
}

/**
 * Authentication methods (RFC 8176 values) Rotor writes into `amr`: `pwd` a password, `otp` a
 * one-time code (a TOTP code, or a recovery code: both are one-time passwords the user holds),
 * `mfa` more than one factor. An OpenID provider's own values pass through as it sent them.
 */
export const AMR = { password: 'pwd', oneTimeCode: 'otp', multiFactor: 'mfa' } as const

/**
 * The assurance levels Rotor writes into `acr`, named after NIST SP 800-63B's authenticator
 * assurance levels and namespaced so no other issuer's `aal2` can be mistaken for Rotor's:
 * `aal1` one factor (or a method Rotor cannot tell), `aal2` two factors (`amr` has `mfa`).
 */
export const ACR = { singleFactor: 'urn:rotor:aal1', multiFactor: 'urn:rotor:aal2' } as const
export type AssuranceLevel = (typeof ACR)[keyof typeof ACR]

/** The one mapping from `amr` to `acr`: two factors exactly when the methods name `mfa`. */
export function acrOf(amr: readonly string[]): AssuranceLevel {
  return amr.includes(AMR.multiFactor) ? ACR.multiFactor : ACR.singleFactor
}

/** How a second step may be answered: a TOTP code or a recovery code. */
export type MfaMethod = 'totp' | 'recovery_code'

/**
 * What a sign-in answered with `MFA_REQUIRED` carries in `error.data.mfa`: the challenge to send
 * to `auth.verifyMfa` with a code, its expiry (epoch seconds) and the methods it takes. The
 * challenge is bound to that sign-in (user, client, delivery, device name) and works once.
 */
export type MfaChallenge = { challenge: string; expiresAt: number; methods: MfaMethod[] }

/** Seconds a sign-in challenge lives. */
export const MFA_CHALLENGE_TTL = 300
/** Wrong codes a sign-in challenge takes before it is void (sign in again for a new one). */
export const MFA_CHALLENGE_ATTEMPTS = 5
