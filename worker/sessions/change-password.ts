import { RotorError } from '../../contract/index.ts'
import { hashPassword } from '../passwords/password-hash.ts'
import { assertStrongPassword } from '../passwords/password-policy.ts'
import { checkCredentials } from './credentials.ts'
import { revokeSessions } from './revoke-sessions.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from './request-info.ts'

/**
 * Sets a new password and revokes every other session of the user in the same batch. The current
 * password goes through sign-in's checks and limits, so a stolen access token cannot be used to
 * guess it. Returns how many sessions were revoked.
 */
export async function changePassword(
  issuer: Issuer,
  session: { id: string; userId: string; email: string },
  input: { currentPassword: string; newPassword: string },
  info: RequestInfo,
): Promise<number> {
  const { user, clearRateLimitKeys } = await checkCredentials(
    issuer,
    { email: session.email, password: input.currentPassword },
    info,
    { upgrade: false },
  )
  if (user.id !== session.userId) {
    throw new RotorError('INVALID_CREDENTIALS', 'Current password is incorrect')
  }
  assertStrongPassword(input.newPassword, user.email)
  const { revoked } = await revokeSessions(
    issuer,
    {
      reason: 'password-change',
      userId: user.id,
      callerSessionId: session.id,
      keepSessionId: session.id,
      passwordHash: await hashPassword(input.newPassword),
      clearRateLimitKeys,
    },
    info,
  )
  return revoked
}
