import { toSnapshot } from './token-state.ts'
import type { TRPCClient } from '@trpc/client'
import type { MfaChallenge } from '../contract/index.ts'
import type { AppRouter } from '../worker/trpc/app-router.ts'
import type { AuthTransport, TimedSignIn } from './auth-transport.ts'
import type { RefreshCoordinator } from './refresh-coordinator.ts'
import type { Session } from './session.ts'
import type { SessionSnapshot, StepUpInput, VerifyMfaInput } from './types.ts'

/**
 * What a sign-in resolves to: the session, or — for a user with a second factor — the challenge
 * of the step still to take (`verifyMfa`), with no session yet.
 */
export type SignInResult = SessionSnapshot | MfaRequired

/** A sign-in that needs its second step: send `mfaRequired.challenge` to `verifyMfa` with a code. */
export type MfaRequired = { mfaRequired: MfaChallenge }

/**
 * Whether a sign-in still needs its second step.
 *
 * @example
 * ```ts
 * const result = await rotor.login({ email, password })
 * if (isMfaRequired(result)) {
 *   const { challenge } = result.mfaRequired
 *   await rotor.verifyMfa({ challenge, code: await askForCode() })
 * }
 * ```
 */
export function isMfaRequired(result: SignInResult): result is MfaRequired {
  return 'mfaRequired' in result
}

/** The session a second step or a step-up leaves, and how many recovery codes remain. */
export type SecondFactorResult = SessionSnapshot & {
  /** Set when a recovery code was used (always after a step-up): how many are left. */
  recoveryCodesLeft?: number
}

/** Sign-in's second step and step-up (README: Second factor). */
export type SecondFactorMethods = {
  /**
   * Completes a sign-in that resolved to `{ mfaRequired }`: the challenge with the code the
   * authenticator app shows now (`code`) or one recovery code (`recoveryCode`). Starts the session
   * as the sign-in would have. A wrong code is `MFA_CODE_INVALID` (try again, up to 5 times); an
   * expired, used or spent challenge `MFA_CHALLENGE_INVALID` (sign in again).
   */
  verifyMfa(input: VerifyMfaInput): Promise<SecondFactorResult>
  /**
   * Proves the second factor again inside this session (`auth.stepUp`), as `onStepUpRequired`
   * asks: the session's `auth_time` becomes now and its `amr` gains `otp` and `mfa`. The new access
   * token is used from here on, by every tab; retry the refused call afterwards.
   *
   * @example
   * ```ts
   * rotor.onStepUpRequired(async () => {
   *   await rotor.stepUp({ code: await askForCode() })
   *   await transfer() // the refused call, again
   * })
   * ```
   */
  stepUp(input: StepUpInput): Promise<SecondFactorResult>
}

export type SecondFactorOptions = {
  trpc: TRPCClient<AppRouter>
  transport: AuthTransport
  session: Session
  coordinator: Pick<RefreshCoordinator, 'ensureFresh'>
  now: () => number
}

export function createSecondFactorMethods(options: SecondFactorOptions): SecondFactorMethods {
  const { trpc, transport, session, coordinator, now } = options
  return {
    async verifyMfa(input) {
      const { pair, timing, recoveryCodesLeft } = await transport.verifyMfa(input)
      const snapshot = toSnapshot(await session.accept(pair, timing, 'login'))
      return recoveryCodesLeft === undefined ? snapshot : { ...snapshot, recoveryCodesLeft }
    },
    async stepUp(input) {
      // A refresh in flight lands first: after the step-up it would put back a token without it.
      // Its failure is the step-up's own call's to report.
      await coordinator.ensureFresh().catch(() => undefined)
      const sessionId = session.state().record?.sessionId
      const sentAt = now()
      const stepped = await trpc.auth.stepUp.mutate(input)
      const timing = { sentAt, receivedAt: now() }
      const { record } = session.state()
      // Signed out (or in as someone else) meanwhile: the new token is of a session left behind.
      if (!record || record.sessionId !== sessionId)
        throw new Error('The session ended during the step-up')
      const pair = {
        accessToken: stepped.accessToken,
        accessTokenExpiresAt: stepped.accessTokenExpiresAt,
        refreshTokenExpiresAt: record.refreshTokenExpiresAt,
        sessionId: record.sessionId,
        user: record.user,
      }
      const snapshot = toSnapshot(await session.accept(pair, timing, 'refresh'))
      return { ...snapshot, recoveryCodesLeft: stepped.recoveryCodesLeft }
    },
  }
}

/** A sign-in's answer as the client returns it: the session adopted, or the second step. */
export async function acceptSignIn(session: Session, answer: TimedSignIn): Promise<SignInResult> {
  if ('mfa' in answer) return { mfaRequired: answer.mfa }
  return toSnapshot(await session.accept(answer.pair, answer.timing, 'login'))
}
