import { admitLegacyToken } from './admit-legacy.ts'
import { legacyDeprecation } from './legacy-policy.ts'
import type { Issuer } from '../issuer.ts'
import type { LegacyClient } from './legacy-client.ts'
import type { Deprecation } from './legacy-policy.ts'
import type { LegacyClaims } from './legacy-token.ts'

/**
 * Stands in for a session id on a legacy caller: protected procedures read `session.id` (to mark
 * the current session, or keep it on sign-out-everywhere), and no session has this id, so a
 * legacy caller keeps none and is never "current". Audit rows show it as the session.
 */
export const LEGACY_SESSION_ID = 'legacy'

/**
 * A protected call made with a legacy token (monitor or warn). `session` carries the fields
 * protected procedures read — the user's id and email — but a legacy caller has no session:
 * narrow on `kind` before using anything else. `deprecation` is for the response, in warn.
 */
export type LegacyAuth = {
  kind: 'legacy'
  claims: LegacyClaims
  session: { id: typeof LEGACY_SESSION_ID; userId: string; email: string }
  deprecation: Deprecation | undefined
}

/** Admits a legacy bearer token for a protected procedure. Throws like `admitLegacyToken`. */
export async function authenticateLegacy(
  issuer: Pick<Issuer, 'legacy' | 'store' | 'now'>,
  token: string,
  client: LegacyClient,
): Promise<LegacyAuth> {
  const { claims, user } = await admitLegacyToken(issuer, token, { client, exchange: false })
  return {
    kind: 'legacy',
    claims,
    session: { id: LEGACY_SESSION_ID, userId: user.id, email: user.email },
    deprecation: legacyDeprecation(issuer.legacy, Math.floor(issuer.now() / 1000)),
  }
}
