import { chooseClientId } from '../sessions/client-id.ts'
import { signInWithIdToken } from '../identity/sign-in-with-id-token.ts'
import { oauthError } from './oauth-response.ts'
import { requiredParam } from './oauth-form.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'
import type { TokenPair } from '../sessions/token-pair.ts'
import type { OAuthForm } from './oauth-form.ts'

/** RFC 8693 §2.1's grant type, and the token types this issuer takes and gives (§3). */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token'
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` (RFC 8693): an OpenID provider's
 * ID token (`subject_token`, `subject_token_type=…:id_token`) for a new session, exactly as
 * `auth.signInWithIdToken`. `client_id` picks one of `CLIENT_IDS`; `nonce` (an extension) is
 * checked against the token's. Delegation (`actor_token`) is not offered. Returns the pair, or
 * the RFC 6749 §5.2 answer for a malformed request; a refused token throws its `RotorError`.
 */
export async function exchangeIdToken(
  issuer: Issuer,
  form: OAuthForm,
  info: RequestInfo,
): Promise<(TokenPair & { refreshToken: string }) | Response> {
  const subjectToken = requiredParam(form, 'subject_token')
  if (subjectToken instanceof Response) return subjectToken
  const subjectTokenType = requiredParam(form, 'subject_token_type')
  if (subjectTokenType instanceof Response) return subjectTokenType
  if (subjectTokenType !== ID_TOKEN_TYPE) {
    return oauthError('invalid_request', `subject_token_type must be ${ID_TOKEN_TYPE}`)
  }
  if (form.has('actor_token')) {
    return oauthError('invalid_request', 'Delegation (actor_token) is not supported')
  }
  const requested = form.get('requested_token_type')
  if (requested !== undefined && requested !== '' && requested !== ACCESS_TOKEN_TYPE) {
    return oauthError('invalid_request', `requested_token_type must be ${ACCESS_TOKEN_TYPE}`)
  }
  const audience = form.get('audience')
  if (audience !== undefined && audience !== '' && audience !== issuer.config.audience) {
    return oauthError('invalid_target', 'This issuer only issues tokens for its own audience')
  }
  const clientId = form.get('client_id') || undefined
  // Checked first, as auth.signInWithIdToken does: a mistyped client spends no attempt.
  chooseClientId(issuer.config, clientId)
  return signInWithIdToken(
    issuer,
    {
      idToken: subjectToken,
      nonce: form.get('nonce') || undefined,
      clientId,
      delivery: 'body',
      secondStep: 'refuse',
    },
    info,
  )
}
