import { RotorError } from '../errors'
import { hashRefreshToken, isRefreshTokenShape } from '../tokens/refresh-token'
import { authenticate, readBearer } from './authenticate'
import type { Issuer } from '../issuer'
import type { RequestInfo } from './request-info'

export type SignOutInput = {
  authorization: string | null
  refreshToken: string | undefined
  info: RequestInfo
}

/**
 * Revokes the caller's session, found from a live access token or, when that has expired, from
 * any refresh token of the family. Signing out a session already signed out succeeds.
 */
export async function signOut(issuer: Issuer, input: SignOutInput): Promise<void> {
  const session =
    (await sessionFromAccessToken(issuer, input)) ?? (await sessionFromRefreshToken(issuer, input))
  const now = issuer.now()
  await issuer.store.revokeSession({
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
}

type SessionRef = { id: string; userId: string }

async function sessionFromAccessToken(
  issuer: Issuer,
  input: SignOutInput,
): Promise<SessionRef | undefined> {
  try {
    const { session } = await authenticate(issuer, readBearer(input.authorization))
    return { id: session.id, userId: session.userId }
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
