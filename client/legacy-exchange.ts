import { classifyFailure } from './failure.ts'
import type { AccessTokenSource } from './auth-link.ts'
import type { AuthTransport } from './auth-transport.ts'
import type { createSession } from './session.ts'

export type LegacyExchangeOptions = {
  tokens: AccessTokenSource
  transport: AuthTransport
  session: ReturnType<typeof createSession>
  legacyToken: () => string | undefined | Promise<string | undefined>
}

/**
 * Wraps a token source so that, when there is no session, a legacy token is traded for one once
 * (DESIGN §8): clients move to Rotor without their users signing in again. A refused exchange
 * (enforce phase, token too old) leaves the client signed out, as it was.
 */
export function withLegacyExchange(options: LegacyExchangeOptions): AccessTokenSource {
  const { tokens, transport, session } = options
  let attempt: Promise<void> | undefined
  const exchangeOnce = () =>
    (attempt ??= (async () => {
      const token = await options.legacyToken()
      if (!token) return
      try {
        const answer = await transport.exchangeLegacy({ token })
        // A user with a second factor takes it through `exchangeLegacy`, not unattended here.
        if ('pair' in answer) await session.accept(answer.pair, answer.timing, 'login')
      } catch (error) {
        // A refusal is final; a network failure, 5xx or 429 may try again on the next call.
        if (classifyFailure(error).kind === 'transient') attempt = undefined
      }
    })())
  return {
    ...tokens,
    async getAccessToken() {
      const token = await tokens.getAccessToken()
      if (token !== null || session.state().record) return token
      await exchangeOnce()
      return session.state().record ? tokens.getAccessToken() : null
    },
  }
}
