import { z } from 'zod'
import { enforceLimit } from '../guard/rate-limited.ts'
import { assertAllowedOrigin } from '../http/origin.ts'
import { startSession } from '../sessions/start-session.ts'
import { MAX_TOKEN_BYTES } from '../../contract/index.ts'
import { delivery, deviceName } from '../trpc/inputs.ts'
import { admitLegacyToken } from './admit-legacy.ts'
import { markDeprecated } from './authenticate-legacy.ts'
import type { TokenPair } from '../sessions/token-pair.ts'
import type { Context } from '../trpc/context.ts'

/** `auth.exchangeLegacy` input (DESIGN §6): the legacy token travels in the body, not a header. */
export const exchangeLegacyInput = z.object({
  token: z.string().min(1).max(MAX_TOKEN_BYTES),
  delivery,
  deviceName: deviceName.optional(),
})

export type ExchangeLegacyInput = z.infer<typeof exchangeLegacyInput>

/**
 * Trades a legacy token the current phase accepts (monitor or warn) for a new session, so a
 * client moves to Rotor without signing in again (DESIGN §8). Refused with
 * `LEGACY_TOKEN_REJECTED` in enforce and off. The exchange is counted in the usage rows, which is
 * how the report shows who has migrated. The legacy token itself stays valid until enforce: it
 * cannot be revoked on its own, which is why the phases exist; the user's password change or
 * sign-out everywhere refuses it from then on.
 */
export async function exchangeLegacyToken(
  ctx: Context,
  input: ExchangeLegacyInput,
): Promise<TokenPair & { refreshToken: string }> {
  if (input.delivery === 'cookie') {
    assertAllowedOrigin(ctx.headers, ctx.issuer.config.allowedOrigins)
  }
  const { issuer } = ctx
  const { loginIp, exchangeUser } = issuer.config.rateLimits
  await enforceLimit(issuer, `exchange-ip:${ctx.info.ip ?? 'unknown'}`, loginIp)
  const { user } = await admitLegacyToken(issuer, input.token, {
    headers: ctx.headers,
    exchange: true,
  })
  // Each exchange mints a session: a leaked legacy token must not mint them without end.
  await enforceLimit(issuer, `exchange-user:${user.id}`, exchangeUser)
  const pair = await startSession(ctx.issuer, {
    user,
    deviceName: input.deviceName,
    info: ctx.info,
    event: 'legacy.exchange',
  })
  markDeprecated(ctx.issuer, ctx.resHeaders)
  return pair
}
