import { RotorError } from '../errors'
import { keyRingKeys, verifyAccessToken } from '../tokens/access-token'
import { hashRefreshToken, isRefreshTokenShape } from '../tokens/refresh-token'
import { readBearer } from './authenticate'
import type { Issuer } from '../issuer'
import type { RequestInfo } from './request-info'

export type SignOutInput = {
  authorization: string | null
  refreshToken: string | undefined
  info: RequestInfo
}

type SessionRef = { id: string; userId: string }

/**
 * Revokes the caller's session, named by a valid access token or, once that has expired, by any
 * refresh token of the family. One D1 round trip: the conditional revoke is itself the liveness
 * check. A session already signed out answers `SESSION_REVOKED` to an access token, and succeeds
 * for a refresh token (the holder's intent is met).
 */
export async function signOut(issuer: Issuer, input: SignOutInput): Promise<void> {
  const fromAccess = await sessionFromAccessToken(issuer, input)
  const session = fromAccess ?? (await sessionFromRefreshToken(issuer, input))
  const now = issuer.now()
  const result = await issuer.store.revokeSession({
    sessionId: session.id,
    userId: session.userId,
    now,
    reason: 'logout',
    audit: {
      event: 'logout',
      at: now,
      userId: session.userId,
      sessionId: session.id,
      ...input.info,
    },
  })
  if (result === 'not-found' || (result === 'already' && fromAccess)) {
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
    const nowSeconds = Math.floor(issuer.now() / 1000)
    const claims = await verifyAccessToken(
      keyRingKeys(issuer.keys),
      issuer.config,
      token,
      nowSeconds,
    )
    return { id: claims.sid, userId: claims.sub }
  } catch (error) {
    // With a refresh token at hand, a stale or missing access token is no reason to fail.
    if (input.refreshToken !== undefined) return undefined
    throw error
  }
}

async function sessionFromRefreshToken(issuer: Issuer, input: SignOutInput): Promise<SessionRef> {
  const token = input.refreshToken
  const found = isRefreshTokenShape(token)
    ? await issuer.store.findSessionByToken(await hashRefreshToken(token))
    : undefined
  if (!found) throw new RotorError('REFRESH_TOKEN_INVALID', 'Refresh token is not valid')
  return { id: found.sessionId, userId: found.userId }
}
