import { RotorError } from '../../contract/index.ts'
import { legacyRefusal } from './legacy-policy.ts'
import { verifyLegacyToken } from './legacy-token.ts'
import type { Issuer } from '../issuer.ts'
import type { LegacyClient } from './legacy-client.ts'
import type { LegacyClaims } from './legacy-token.ts'

/** A legacy token the current phase accepts, with the Rotor user its `sub` names. */
export type AdmittedLegacyToken = { claims: LegacyClaims; user: { id: string; email: string } }

/**
 * The legacy path shared by protected procedures and the exchange: verify with the pinned key,
 * apply the phase, count the use per client and user, and map `sub` to a Rotor user. Refusals by
 * phase are counted too (stragglers stay visible in enforce); unverifiable tokens are not, so
 * garbage cannot fill the table. Throws `TOKEN_INVALID`, `TOKEN_EXPIRED` or
 * `LEGACY_TOKEN_REJECTED`.
 */
export async function admitLegacyToken(
  issuer: Pick<Issuer, 'legacy' | 'store' | 'now'>,
  token: string,
  options: { client: LegacyClient; exchange: boolean },
): Promise<AdmittedLegacyToken> {
  const { legacy: settings, store } = issuer
  if (settings.mode === 'off' || settings.key === undefined) {
    throw new RotorError('LEGACY_TOKEN_REJECTED', 'Legacy tokens are not accepted')
  }
  const at = issuer.now()
  const nowSeconds = Math.floor(at / 1000)
  const claims = await verifyLegacyToken(settings.key, token, nowSeconds, settings.leeway)
  const use = { at, userId: claims.sub, client: options.client, issuedAt: claims.iat }
  const refusal = legacyRefusal(settings, claims, nowSeconds)
  if (refusal !== undefined) {
    await store.recordLegacyRefusal(use)
    throw new RotorError('LEGACY_TOKEN_REJECTED', refusal)
  }
  const user = await store.recordLegacyUse(use, options.exchange)
  if (!user) {
    throw new RotorError(
      'LEGACY_TOKEN_REJECTED',
      'This legacy token names no user, or its user has signed out everywhere since: sign in again',
    )
  }
  return { claims, user }
}
