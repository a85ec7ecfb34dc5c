import { RotorError } from '../errors'
import { authenticateLegacy } from '../legacy/authenticate-legacy'
import { isLegacyCandidate } from '../legacy/legacy-token'
import { assertSessionLive } from './session-state'
import { verifyIssuedAccessToken } from './token-session'
import type { Issuer } from '../issuer'
import type { LegacyAuth, LegacyCall } from '../legacy/authenticate-legacy'
import type { AccessTokenClaims } from '../tokens/access-token'
import type { SessionWithUser } from '../store/session-store'

export type SessionAuth = { kind: 'session'; claims: AccessTokenClaims; session: SessionWithUser }
/** A protected call's caller: a live session, or a legacy token the phase admits (DESIGN §8). */
export type Authenticated = SessionAuth | LegacyAuth

// The scheme is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9_.~+/=-]+)$/i

/** The bearer token from an `Authorization` header, or `undefined` when there is none. */
export function readBearer(header: string | null | undefined): string | undefined {
  if (!header) return undefined
  const match = BEARER.exec(header.trim())
  if (!match) throw new RotorError('TOKEN_INVALID', 'Authorization header must be "Bearer <token>"')
  return match[1]
}

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
  if (token !== undefined && issuer.legacy.settings.mode !== 'off' && isLegacyCandidate(token)) {
    return authenticateLegacy(issuer, token, call)
  }
  return authenticate(issuer, token)
}
