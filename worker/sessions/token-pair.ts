import { RotorError } from '../../contract/index.ts'
import { revocationFeedUrl, signAccessToken } from '../tokens/access-token.ts'
import { assuranceOf } from './assurance.ts'
import { clientIdOf } from './client-id.ts'
import type { Issuer } from '../issuer.ts'
import type { SessionRecord } from '../store/session-store.ts'

/** What login, refresh and legacy exchange return. Times in epoch seconds (contract, DESIGN §6). */
export type TokenPair = {
  accessToken: string
  accessTokenExpiresAt: number
  refreshToken?: string
  refreshTokenExpiresAt: number
  sessionId: string
  user: { id: string; email: string }
}

/** A fresh access token for `session`, never outliving the session's absolute deadline. */
export async function issueTokenPair(
  issuer: Issuer,
  session: SessionRecord,
  user: { id: string; email: string; emailVerified?: boolean | number },
  refreshToken: string,
): Promise<TokenPair & { refreshToken: string }> {
  const { config } = issuer
  const iat = Math.floor(issuer.now() / 1000)
  const exp = Math.min(iat + config.accessTokenTtl, Math.floor(session.absoluteExpiresAt / 1000))
  // In the session's last second there is no lifetime left to give an access token.
  if (exp <= iat) throw new RotorError('SESSION_EXPIRED', 'This session has expired; sign in again')
  const accessToken = await signAccessToken(issuer.keys, config, {
    sub: user.id,
    sid: session.id,
    client_id: clientIdOf(config, session),
    // D1 hands booleans back as 0 and 1.
    ...(user.emailVerified === undefined ? {} : { email_verified: Boolean(user.emailVerified) }),
    ...assuranceOf(session),
    // The session's bit in the revocation feed; sessions from before the feed have none.
    ...(session.statusIdx === null
      ? {}
      : { status: { status_list: { idx: session.statusIdx, uri: revocationFeedUrl(config) } } }),
    iat,
    exp,
  })
  return {
    accessToken,
    accessTokenExpiresAt: exp,
    refreshToken,
    refreshTokenExpiresAt: Math.floor(session.idleExpiresAt / 1000),
    sessionId: session.id,
    user: { id: user.id, email: user.email },
  }
}
