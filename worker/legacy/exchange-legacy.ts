import { ipLimitKey } from '../guard/ip-key.ts'
import { enforceLimit } from '../guard/rate-limited.ts'
import { chooseClientId } from '../sessions/client-id.ts'
import { signInFacts, startSignIn } from '../mfa/sign-in.ts'
import { admitLegacyToken } from './admit-legacy.ts'
import { legacyDeprecation } from './legacy-policy.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'
import type { TokenPair } from '../sessions/token-pair.ts'
import type { RefreshTokenDelivery } from '../tokens/refresh-token.ts'
import type { LegacyClient } from './legacy-client.ts'
import type { Deprecation } from './legacy-policy.ts'

export type ExchangeLegacyInput = {
  token: string
  deviceName?: string | undefined
  /** One of `CLIENT_IDS` (`INVALID_INPUT` otherwise); the default when absent. */
  clientId?: string | undefined
  delivery: RefreshTokenDelivery
}

/** The new session's pair, and the deprecation the response carries (warn). */
export type ExchangeLegacyResult = {
  pair: TokenPair & { refreshToken: string }
  deprecation: Deprecation | undefined
}

/**
 * Trades a legacy token the current phase accepts (monitor or warn) for a new session, so a
 * client moves to Rotor without signing in again (DESIGN §8). Refused with
 * `LEGACY_TOKEN_REJECTED` in enforce and off. The exchange is counted in the usage rows, which is
 * how the report shows who has migrated. The legacy token itself stays valid until enforce: it
 * cannot be revoked on its own, which is why the phases exist; the user's password change or
 * sign-out everywhere refuses it from then on.
 */
export async function exchangeLegacyToken(
  issuer: Issuer,
  input: ExchangeLegacyInput,
  caller: { info: RequestInfo; client: LegacyClient },
): Promise<ExchangeLegacyResult> {
  const { loginIp, exchangeUser } = issuer.config.rateLimits
  const clientId = chooseClientId(issuer.config, input.clientId)
  await enforceLimit(issuer, ipLimitKey('exchange', caller.info.ip), loginIp)
  const { user } = await admitLegacyToken(issuer, input.token, {
    client: caller.client,
    exchange: true,
  })
  // Each exchange mints a session: a leaked legacy token must not mint them without end.
  await enforceLimit(issuer, `exchange-user:${user.id}`, exchangeUser)
  // A legacy token says nothing of how its user signed in (no `amr`); a user with a second
  // factor still answers it (README: Second factor).
  const { secondFactor, credentialsChangedAt } = await signInFacts(issuer, user.id)
  const pair = await startSignIn(issuer, {
    user: { ...user, credentialsChangedAt },
    deviceName: input.deviceName,
    clientId,
    info: caller.info,
    event: 'legacy.exchange',
    delivery: input.delivery,
    amr: [],
    secondFactor,
  })
  return { pair, deprecation: legacyDeprecation(issuer.legacy, Math.floor(issuer.now() / 1000)) }
}
