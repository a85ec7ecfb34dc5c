import { RotorError } from '../../contract/index.ts'
import { assertSessionLive } from './session-state.ts'
import { verifyIssuedAccessToken } from './token-session.ts'
import type { Issuer } from '../issuer.ts'
import type { AccessTokenClaims } from '../../contract/index.ts'
import type { SessionWithUser } from '../store/session-store.ts'

export type SessionAuth = { kind: 'session'; claims: AccessTokenClaims; session: SessionWithUser }

/**
 * Verifies an access token and checks that its session is still live, so a signed-out session's
 * tokens fail at once rather than at expiry (DESIGN §4).
 */
export async function authenticate(
  issuer: Issuer,
  token: string | undefined,
): Promise<SessionAuth> {
  if (token === undefined) throw new RotorError('TOKEN_MISSING', 'An access token is required')
  const now = issuer.now()
  const claims = await verifyIssuedAccessToken(issuer, token)
  const session = await issuer.store.findSession(claims.sid)
  if (!session || session.userId !== claims.sub) {
    throw new RotorError('SESSION_REVOKED', 'This session is no longer valid')
  }
  assertSessionLive(session, now)
  return { kind: 'session', claims, session }
}
