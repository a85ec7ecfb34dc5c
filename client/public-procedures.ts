/**
 * The issuer's procedures that take no access token: sign-in, refresh and the steps of account
 * recovery and of a two-step sign-in. The client sends them without one, and never refreshes for
 * them first; every other procedure, batched or not, carries the session's token.
 */
export const PUBLIC_PROCEDURES: ReadonlySet<string> = new Set([
  'auth.register',
  'auth.login',
  'auth.refresh',
  'auth.exchangeLegacy',
  'auth.signInWithIdToken',
  'auth.verifyMfa',
  'auth.requestPasswordReset',
  'auth.resetPassword',
  'auth.requestEmailVerification',
  'auth.verifyEmail',
])
