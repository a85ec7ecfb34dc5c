import { isRotorError } from '../../contract/index.ts'
import { rotateRefreshToken } from '../sessions/rotate-refresh-token.ts'
import { readRequestInfo } from '../http/request-info.ts'
import { readForm, requiredParam } from './oauth-form.ts'
import { oauthError, oauthJson, oauthRateLimited } from './oauth-response.ts'
import type { Issuer } from '../issuer.ts'

/**
 * `POST /oauth/token` with `grant_type=refresh_token` (RFC 6749 §6): the same rotation, grace
 * window and reuse detection as `auth.refresh`, answered in RFC 6749 §5.1/§5.2 form.
 */
export async function handleTokenRequest(issuer: Issuer, request: Request): Promise<Response> {
  const form = await readForm(request)
  if (form instanceof Response) return form
  const grantType = requiredParam(form, 'grant_type')
  if (grantType instanceof Response) return grantType
  if (grantType !== 'refresh_token') {
    return oauthError('unsupported_grant_type', 'Only grant_type=refresh_token is supported')
  }
  const refreshToken = requiredParam(form, 'refresh_token')
  if (refreshToken instanceof Response) return refreshToken
  try {
    const pair = await rotateRefreshToken(issuer, refreshToken, readRequestInfo(request), 'body')
    const nowSeconds = Math.floor(issuer.now() / 1000)
    return oauthJson({
      access_token: pair.accessToken,
      token_type: 'Bearer',
      expires_in: pair.accessTokenExpiresAt - nowSeconds,
      refresh_token: pair.refreshToken,
      refresh_token_expires_in: pair.refreshTokenExpiresAt - nowSeconds,
      session_id: pair.sessionId,
    })
  } catch (error) {
    if (!isRotorError(error)) throw error
    if (error.reason === 'RATE_LIMITED') return oauthRateLimited(error)
    return oauthError('invalid_grant', error.message, { reason: error.reason })
  }
}
