import { isMfaRequired } from '../../../client/index.ts'
import type { SessionSnapshot, SignInResult } from '../../../client/index.ts'

/** The session a sign-in started, for a user without a second factor; throws on a second step. */
export function sessionOf(result: SignInResult): SessionSnapshot {
  if (isMfaRequired(result)) throw new Error('the sign-in unexpectedly asked for a second step')
  return result
}

/** The challenge of a sign-in that asked for its second step; throws when it started a session. */
export function challengeOf(result: SignInResult): string {
  if (!isMfaRequired(result)) throw new Error('the sign-in started a session without a second step')
  return result.mfaRequired.challenge
}
