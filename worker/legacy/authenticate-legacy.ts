import { admitLegacyToken } from './admit-legacy.ts'
import { deprecationHeaders } from './legacy-policy.ts'
import type { Issuer } from '../issuer.ts'
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
 * narrow on `kind` before using anything else.
 */
export type LegacyAuth = {
  kind: 'legacy'
  claims: LegacyClaims
  session: { id: typeof LEGACY_SESSION_ID; userId: string; email: string }
}

/** Where a protected call's request headers come from and its response headers go. */
export type LegacyCall = { headers: Headers; resHeaders: Headers }

/**
 * Admits a legacy bearer token for a protected procedure and, in warn, marks the response with
 * `Deprecation` and `Sunset`. Throws like `admitLegacyToken`.
 */
export async function authenticateLegacy(
  issuer: Pick<Issuer, 'legacy' | 'store' | 'now'>,
  token: string,
  call: LegacyCall,
): Promise<LegacyAuth> {
  const { claims, user } = await admitLegacyToken(issuer, token, {
    headers: call.headers,
    exchange: false,
  })
  markDeprecated(issuer, call.resHeaders)
  return {
    kind: 'legacy',
    claims,
    session: { id: LEGACY_SESSION_ID, userId: user.id, email: user.email },
  }
}

/** Sets (not appends: a batch may authenticate several calls) the warn-phase headers. */
export function markDeprecated(issuer: Pick<Issuer, 'legacy' | 'now'>, resHeaders: Headers) {
  const nowSeconds = Math.floor(issuer.now() / 1000)
  for (const [name, value] of deprecationHeaders(issuer.legacy, nowSeconds)) {
    resHeaders.set(name, value)
  }
}
