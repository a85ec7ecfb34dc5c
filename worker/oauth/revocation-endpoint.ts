import { isRotorError } from '../../contract/index.ts'
import { readRequestInfo } from '../http/request-info.ts'
import { enforceRevokeLimit, revokeSessions } from '../sessions/revoke-sessions.ts'
import { sessionOfAccessToken, sessionOfRefreshToken } from '../sessions/token-session.ts'
import { readTokenParam } from './oauth-form.ts'
import { oauthJson, oauthRateLimited } from './oauth-response.ts'
import type { Issuer } from '../issuer.ts'
import type { SessionRef } from '../sessions/token-session.ts'

/**
 * `POST /oauth/revoke` (RFC 7009). Revocation in Rotor is by session, so revoking either kind of
 * token ends its whole session. Unknown or invalid tokens still get 200 (RFC 7009 §2.2).
 */
export async function handleRevocationRequest(issuer: Issuer, request: Request): Promise<Response> {
  const token = await readTokenParam(request)
  if (token instanceof Response) return token
  const info = readRequestInfo(request)
  try {
    await enforceRevokeLimit(issuer, info)
  } catch (error) {
    if (isRotorError(error) && error.reason === 'RATE_LIMITED') return oauthRateLimited(error)
    throw error
  }
  const session = await findSession(issuer, token)
  if (session) await revokeSessions(issuer, { reason: 'logout', ...session }, info)
  return oauthJson({})
}

async function findSession(issuer: Issuer, token: string): Promise<SessionRef | undefined> {
  // A forged access token must not revoke anyone; an expired one is ignored like an unknown one,
  // and so is a cookie session's refresh token, which is valid only in its cookie.
  return (
    (await sessionOfRefreshToken(issuer, token, 'body')) ??
    sessionOfAccessToken(issuer, token).catch(() => undefined)
  )
}
