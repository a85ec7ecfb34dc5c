import { readRequestInfo } from '../http/request-info.ts'
import { revokeSessions } from '../sessions/revoke-sessions.ts'
import { sessionOfAccessToken, sessionOfRefreshToken } from '../sessions/token-session.ts'
import { readTokenParam } from './oauth-form.ts'
import { oauthJson } from './oauth-response.ts'
import type { Issuer } from '../issuer.ts'
import type { SessionRef } from '../sessions/token-session.ts'

/**
 * `POST /oauth/revoke` (RFC 7009). Revocation in Rotor is by session, so revoking either kind of
 * token ends its whole session. Unknown or invalid tokens still get 200 (RFC 7009 §2.2).
 */
export async function handleRevocationRequest(issuer: Issuer, request: Request): Promise<Response> {
  const token = await readTokenParam(request)
  if (token instanceof Response) return token
  const session = await findSession(issuer, token)
  if (session) {
    await revokeSessions(issuer, { reason: 'logout', ...session }, readRequestInfo(request))
  }
  return oauthJson({})
}

async function findSession(issuer: Issuer, token: string): Promise<SessionRef | undefined> {
  // A forged access token must not revoke anyone; an expired one is ignored like an unknown one.
  return (
    (await sessionOfRefreshToken(issuer, token)) ??
    sessionOfAccessToken(issuer, token).catch(() => undefined)
  )
}
