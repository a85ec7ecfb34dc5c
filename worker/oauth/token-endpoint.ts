import { isRotorError } from '../../contract/index.ts'
import { rotateRefreshToken } from '../sessions/rotate-refresh-token.ts'
import { readRequestInfo } from '../http/request-info.ts'
import { readForm, requiredParam } from './oauth-form.ts'
import { oauthError, oauthJson, oauthRateLimited } from './oauth-response.ts'
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, exchangeIdToken } from './token-exchange.ts'
import type { RotorError } from '../../contract/index.ts'
import type { Config } from '../config/config.ts'
import type { Issuer } from '../issuer.ts'
import type { TokenPair } from '../sessions/token-pair.ts'

/** The grants `POST /oauth/token` answers (the RFC 8414 metadata advertises them). */
export function grantTypes(config: Config): string[] {
  return config.oidcProviders.length > 0
    ? ['refresh_token', TOKEN_EXCHANGE_GRANT]
    : ['refresh_token']
}

/**
 * `POST /oauth/token`: `grant_type=refresh_token` (RFC 6749 §6), the same rotation, grace window
 * and reuse detection as `auth.refresh`; and the RFC 8693 token exchange of an OpenID provider's
 * ID token for a new session (`auth.signInWithIdToken`). Answered in RFC 6749 §5.1/§5.2 form.
 */
export async function handleTokenRequest(issuer: Issuer, request: Request): Promise<Response> {
  const form = await readForm(request)
  if (form instanceof Response) return form
  const grantType = requiredParam(form, 'grant_type')
  if (grantType instanceof Response) return grantType
  const supported = grantTypes(issuer.config)
  if (!supported.includes(grantType)) {
    return oauthError('unsupported_grant_type', `grant_type must be one of ${supported.join(', ')}`)
  }
  const info = readRequestInfo(request)
  try {
    if (grantType === TOKEN_EXCHANGE_GRANT) {
      const pair = await exchangeIdToken(issuer, form, info)
      if (pair instanceof Response) return pair
      return tokenResponse(issuer, pair, { issued_token_type: ACCESS_TOKEN_TYPE })
    }
    const refreshToken = requiredParam(form, 'refresh_token')
    if (refreshToken instanceof Response) return refreshToken
    return tokenResponse(issuer, await rotateRefreshToken(issuer, refreshToken, info, 'body'))
  } catch (error) {
    if (!isRotorError(error)) throw error
    return grantError(error)
  }
}

function tokenResponse(
  issuer: Issuer,
  pair: TokenPair & { refreshToken: string },
  extra: Record<string, string> = {},
): Response {
  const nowSeconds = Math.floor(issuer.now() / 1000)
  return oauthJson({
    access_token: pair.accessToken,
    ...extra,
    token_type: 'Bearer',
    expires_in: pair.accessTokenExpiresAt - nowSeconds,
    refresh_token: pair.refreshToken,
    refresh_token_expires_in: pair.refreshTokenExpiresAt - nowSeconds,
    session_id: pair.sessionId,
  })
}

/** A refused grant in RFC 6749 §5.2 form, with Rotor's reason beside the OAuth error. */
function grantError(error: RotorError): Response {
  const reason = error.reason
  if (reason === 'RATE_LIMITED') return oauthRateLimited(error)
  if (reason === 'INVALID_INPUT') return oauthError('invalid_request', error.message, { reason })
  if (reason === 'PROVIDER_UNAVAILABLE') {
    return oauthError('temporarily_unavailable', error.message, { status: 503, reason })
  }
  return oauthError('invalid_grant', error.message, { reason })
}
