/** Calls one tRPC batch may hold (DESIGN §9). */
export const MAX_BATCH_SIZE = 10

/** Calls that mint or rotate credentials run alone, so each gets its own response and cookie. */
export const UNBATCHABLE_PROCEDURES: ReadonlySet<string> = new Set([
  'auth.register',
  'auth.login',
  'auth.refresh',
  'auth.exchangeLegacy',
  'auth.signInWithIdToken',
  // One guess at a one-time code, or one code mailed, per request.
  'auth.requestPasswordReset',
  'auth.resetPassword',
  'auth.requestEmailVerification',
  'auth.verifyEmail',
  'auth.requestEmailChange',
  'auth.confirmEmailChange',
  // One guess at a password or a second-factor code per request (README: Second factor).
  'auth.verifyMfa',
  'auth.stepUp',
  'mfa.enrollTotp',
  'mfa.confirmTotp',
  'mfa.regenerateRecoveryCodes',
  'mfa.disable',
])
