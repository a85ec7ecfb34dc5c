import { verifyAccessToken } from '../../verify/access-token.ts'
import { RotorError } from '../../contract/index.ts'
import { issuerTokenChecks, keyRingKeys } from '../tokens/access-token.ts'
import { fitsChannel, hashRefreshToken, isRefreshTokenShape } from '../tokens/refresh-token.ts'
import type { Issuer } from '../issuer.ts'
import type { AccessTokenClaims } from '../../contract/index.ts'
import type { RefreshTokenDelivery } from '../tokens/refresh-token.ts'

export type SessionRef = { sessionId: string; userId: string }

/** Signature and claims of one of this issuer's access tokens, at the issuer's clock. */
export function verifyIssuedAccessToken(issuer: Issuer, token: string): Promise<AccessTokenClaims> {
  const nowSeconds = Math.floor(issuer.now() / 1000)
  const checks = issuerTokenChecks(issuer.config)
  return verifyAccessToken(keyRingKeys(issuer.keys), checks, token, nowSeconds)
}

/** The session a valid access token names; throws `TOKEN_INVALID` or `TOKEN_EXPIRED`. */
export async function sessionOfAccessToken(issuer: Issuer, token: string): Promise<SessionRef> {
  const claims = await verifyIssuedAccessToken(issuer, token)
  return { sessionId: claims.sid, userId: claims.sub }
}

/**
 * The session a refresh token (used or not) belongs to; `undefined` for anything unknown, and for
 * a token issued for the other channel (`channel`: how it came).
 */
export async function sessionOfRefreshToken(
  issuer: Issuer,
  token: unknown,
  channel: RefreshTokenDelivery,
): Promise<SessionRef | undefined> {
  if (!isRefreshTokenShape(token) || !fitsChannel(token, channel)) return undefined
  return issuer.store.findSessionByToken(await hashRefreshToken(token))
}

/** A cookie session's token replayed in a body (or the reverse): not valid where it was sent. */
export function wrongChannel(channel: RefreshTokenDelivery): RotorError {
  const where = channel === 'body' ? 'the refresh cookie' : 'a request body'
  return new RotorError('REFRESH_TOKEN_INVALID', `This refresh token is only valid in ${where}`)
}
