import { RotorError, readBearer } from '../../contract/index.ts'
import { revokeSessions } from './revoke-sessions.ts'
import { sessionOfAccessToken, sessionOfRefreshToken } from './token-session.ts'
import type { Issuer } from '../issuer.ts'
import type { SessionRef } from './token-session.ts'
import type { RequestInfo } from './request-info.ts'

export type SignOutInput = {
  authorization: string | null
  refreshToken: string | undefined
  info: RequestInfo
}

/**
 * Revokes the caller's session, named by a valid access token or, once that has expired, by any
 * refresh token of the family. One D1 round trip: the conditional revoke is itself the liveness
 * check. A session already signed out answers `SESSION_REVOKED` to an access token, and succeeds
 * for a refresh token (the holder's intent is met).
 */
export async function signOut(issuer: Issuer, input: SignOutInput): Promise<void> {
  const fromAccess = await sessionFromAccessToken(issuer, input)
  const session = fromAccess ?? (await sessionFromRefreshToken(issuer, input))
  const { revoked, found } = await revokeSessions(
    issuer,
    { reason: 'logout', ...session },
    input.info,
  )
  if (!found || (revoked === 0 && fromAccess)) {
    throw new RotorError('SESSION_REVOKED', 'This session has been signed out')
  }
}

async function sessionFromAccessToken(
  issuer: Issuer,
  input: SignOutInput,
): Promise<SessionRef | undefined> {
  try {
    const token = readBearer(input.authorization)
    if (token === undefined) throw new RotorError('TOKEN_MISSING', 'An access token is required')
    return await sessionOfAccessToken(issuer, token)
  } catch (error) {
    // With a refresh token at hand, a stale or missing access token is no reason to fail.
    if (input.refreshToken !== undefined) return undefined
    throw error
  }
}

async function sessionFromRefreshToken(issuer: Issuer, input: SignOutInput): Promise<SessionRef> {
  const found = await sessionOfRefreshToken(issuer, input.refreshToken)
  if (!found) throw new RotorError('REFRESH_TOKEN_INVALID', 'Refresh token is not valid')
  return found
}
