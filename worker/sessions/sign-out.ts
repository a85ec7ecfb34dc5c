import { RotorError, readBearer } from '../../contract/index.ts'
import { fitsChannel, hashRefreshToken, isRefreshTokenShape } from '../tokens/refresh-token.ts'
import { revokeSessions } from './revoke-sessions.ts'
import { sessionOfAccessToken, sessionOfRefreshToken, wrongChannel } from './token-session.ts'
import type { Issuer } from '../issuer.ts'
import type { RefreshTokenDelivery } from '../tokens/refresh-token.ts'
import type { SessionRef } from './token-session.ts'
import type { RequestInfo } from './request-info.ts'

export type SignOutInput = {
  authorization: string | null
  refreshToken: string | undefined
  /** How the refresh token came: a cookie session's token is valid only in its cookie. */
  channel: RefreshTokenDelivery
  info: RequestInfo
}

/**
 * Revokes the caller's session, named by a valid access token or, once that has expired, by any
 * refresh token of the family. One D1 round trip: the conditional revoke is itself the liveness
 * check. A session already signed out answers `SESSION_REVOKED` to an access token, and succeeds
 * for a refresh token (the holder's intent is met). A valid access token and a refresh token
 * together must name the same session, checked in that same revoke; otherwise nobody is signed
 * out (`CREDENTIALS_CONFLICT`).
 */
export async function signOut(issuer: Issuer, input: SignOutInput): Promise<void> {
  const { refreshToken, channel } = input
  if (isRefreshTokenShape(refreshToken) && !fitsChannel(refreshToken, channel))
    throw wrongChannel(channel)
  const fromAccess = await sessionFromAccessToken(issuer, input)
  if (fromAccess && refreshToken !== undefined) {
    if (!isRefreshTokenShape(refreshToken)) throw invalidRefreshToken()
    const tokenHash = await hashRefreshToken(refreshToken)
    const { revoked, found } = await revokeSessions(
      issuer,
      { reason: 'logout', ...fromAccess, tokenHash },
      input.info,
    )
    // The access token verified, so its session exists: not found means the other session's token.
    if (!found) {
      throw new RotorError(
        'CREDENTIALS_CONFLICT',
        'The access token and the refresh token belong to different sessions; nobody was signed out',
      )
    }
    if (revoked === 0) throw new RotorError('SESSION_REVOKED', 'This session has been signed out')
    return
  }
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

/**
 * Ends the session a refresh token names, if any: what a sign-in does to the session of the
 * refresh cookie it replaces, which the browser could no longer reach or sign out.
 */
export async function endSessionOfRefreshToken(
  issuer: Issuer,
  token: string,
  channel: RefreshTokenDelivery,
  info: RequestInfo,
): Promise<void> {
  const session = await sessionOfRefreshToken(issuer, token, channel)
  if (session) await revokeSessions(issuer, { reason: 'logout', ...session }, info)
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
  const found = await sessionOfRefreshToken(issuer, input.refreshToken, input.channel)
  if (!found) throw invalidRefreshToken()
  return found
}

const invalidRefreshToken = () =>
  new RotorError('REFRESH_TOKEN_INVALID', 'Refresh token is not valid')
