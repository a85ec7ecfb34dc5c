import { RotorError } from '../../contract/index.ts'
import { authenticateLegacy } from '../legacy/authenticate-legacy.ts'
import { isLegacyCandidate } from '../../verify/legacy-candidate.ts'
import { assertSessionLive } from './session-state.ts'
import { verifyIssuedAccessToken } from './token-session.ts'
import type { Issuer } from '../issuer.ts'
import type { LegacyAuth, LegacyCall } from '../legacy/authenticate-legacy.ts'
import type { AccessTokenClaims } from '../../contract/index.ts'
import type { SessionWithUser } from '../store/session-store.ts'

export type SessionAuth = { kind: 'session'; claims: AccessTokenClaims; session: SessionWithUser }
/** A protected call's caller: a live session, or a legacy token the phase admits (DESIGN §8). */
export type Authenticated = SessionAuth | LegacyAuth

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

/**
 * Any bearer token a protected procedure accepts: a Rotor access token, or — unless
 * `LEGACY_MODE` is off — a legacy token, told apart by its header (see `isLegacyCandidate`).
 */
export async function authenticateCaller(
  issuer: Issuer,
  token: string | undefined,
  call: LegacyCall,
): Promise<Authenticated> {
  if (token !== undefined && issuer.legacy.mode !== 'off' && isLegacyCandidate(token)) {
    return authenticateLegacy(issuer, token, call)
  }
  return authenticate(issuer, token)
}
