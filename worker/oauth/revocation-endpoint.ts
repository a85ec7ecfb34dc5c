import { readRequestInfo } from '../sessions/request-info'
import { oauthError, oauthJson, readForm } from './oauth-response'
import { sessionOfRefreshToken, verifyIssuedAccessToken } from '../sessions/token-session'
import type { Issuer } from '../issuer'
import type { SessionRef } from '../sessions/token-session'

/**
 * `POST /oauth/revoke` (RFC 7009). Revocation in Rotor is by session, so revoking either kind of
 * token ends its whole session. Unknown or invalid tokens still get 200 (RFC 7009 §2.2).
 */
export async function handleRevocationRequest(issuer: Issuer, request: Request): Promise<Response> {
  const form = await readForm(request)
  if (!form) return oauthError('invalid_request', 'Send an application/x-www-form-urlencoded body')
  const token = form.get('token')
  if (token === null || token === '') return oauthError('invalid_request', 'token is required')
  const session = await findSession(issuer, token)
  if (session) {
    const now = issuer.now()
    await issuer.store.revokeSession({
      sessionId: session.sessionId,
      userId: session.userId,
      now,
      reason: 'logout',
      audit: { event: 'logout', at: now, ...session, ...readRequestInfo(request) },
    })
  }
  return oauthJson({})
}

async function findSession(issuer: Issuer, token: string): Promise<SessionRef | undefined> {
  const viaRefresh = await sessionOfRefreshToken(issuer, token)
  if (viaRefresh) return viaRefresh
  try {
    // A forged access token must not revoke anyone; an expired one is ignored like an unknown one.
    const claims = await verifyIssuedAccessToken(issuer, token)
    return { sessionId: claims.sid, userId: claims.sub }
  } catch {
    return undefined
  }
}
