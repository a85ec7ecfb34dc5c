/**
 * One-time codes (README: Recovery and verification): what a reset, a verification or an email
 * change mails to the user, and what `auth.resetPassword`, `auth.verifyEmail` and
 * `auth.confirmEmailChange` take back. Decimal digits, so a person can type them.
 */
export const CODE_DIGITS = 8

/** Whether `value` has the shape of a one-time code (its digits, nothing else). */
export function isCodeShaped(value: string): boolean {
  return value.length === CODE_DIGITS && /^[0-9]+$/.test(value)
}

/** What a code is for; each user has at most one live code per purpose. */
export const CODE_PURPOSES = ['reset', 'verify', 'email-change'] as const
export type CodePurpose = (typeof CODE_PURPOSES)[number]
