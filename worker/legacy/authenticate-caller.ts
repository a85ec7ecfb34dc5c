import { isLegacyCandidate } from '../../verify/legacy-candidate.ts'
import { authenticate } from '../sessions/authenticate.ts'
import { authenticateLegacy } from './authenticate-legacy.ts'
import type { Issuer } from '../issuer.ts'
import type { SessionAuth } from '../sessions/authenticate.ts'
import type { LegacyClient } from './legacy-client.ts'
import type { LegacyAuth } from './authenticate-legacy.ts'

/** A protected call's caller: a live session, or a legacy token the phase admits (DESIGN §8). */
export type Authenticated = SessionAuth | LegacyAuth

/**
 * Any bearer token a protected procedure accepts: a Rotor access token, or — unless
 * `LEGACY_MODE` is off — a legacy token, told apart by its header (see `isLegacyCandidate`).
 * `client` is who sent it, for the legacy usage counts.
 */
export async function authenticateCaller(
  issuer: Issuer,
  token: string | undefined,
  client: LegacyClient,
): Promise<Authenticated> {
  if (token !== undefined && issuer.legacy.mode !== 'off' && isLegacyCandidate(token)) {
    return authenticateLegacy(issuer, token, client)
  }
  return authenticate(issuer, token)
}
