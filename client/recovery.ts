import type { TRPCClient } from '@trpc/client'
import type { AppRouter } from '../worker/trpc/app-router.ts'
import type { Session } from './session.ts'

/**
 * Password reset, email verification and email change (README: Recovery and verification). Codes
 * are the digits mailed to the user; every wrong, expired or used one fails with `CODE_INVALID`.
 */
export type RecoveryMethods = {
  /** Mails a reset code if the address has an account; resolves the same way if it has none. */
  requestPasswordReset(email: string): Promise<void>
  /**
   * Sets a new password with the mailed code. Every session of the user ends — this one too, when
   * it is theirs, which then reports `SESSION_REVOKED` — and the user signs in again.
   */
  resetPassword(input: { email: string; code: string; newPassword: string }): Promise<{
    revoked: number
  }>
  /** Mails a verification code to an unverified address; resolves the same way otherwise. */
  requestEmailVerification(email: string): Promise<void>
  /** Marks the address verified with the mailed code. */
  verifyEmail(input: { email: string; code: string }): Promise<void>
  /** Signed in: mails a code to `newEmail` (which must be free); needs the current password. */
  requestEmailChange(input: { newEmail: string; currentPassword: string }): Promise<void>
  /** Signed in: moves the account to the new address with the code mailed there. */
  confirmEmailChange(code: string): Promise<{ email: string }>
}

/** The recovery methods over the client's tRPC procedures and session. */
export function createRecoveryMethods(
  trpc: TRPCClient<AppRouter>,
  session: Pick<Session, 'state' | 'end'>,
): RecoveryMethods {
  return {
    async requestPasswordReset(email) {
      await trpc.auth.requestPasswordReset.mutate({ email })
    },
    async resetPassword(input) {
      const { revoked } = await trpc.auth.resetPassword.mutate(input)
      const { record } = session.state()
      const mine = record?.user.email.toLowerCase() === input.email.trim().toLowerCase()
      if (mine) await session.end('SESSION_REVOKED', { broadcast: true })
      return { revoked }
    },
    async requestEmailVerification(email) {
      await trpc.auth.requestEmailVerification.mutate({ email })
    },
    async verifyEmail(input) {
      await trpc.auth.verifyEmail.mutate(input)
    },
    async requestEmailChange(input) {
      await trpc.auth.requestEmailChange.mutate(input)
    },
    async confirmEmailChange(code) {
      const { email } = await trpc.auth.confirmEmailChange.mutate({ code })
      return { email }
    },
  }
}
