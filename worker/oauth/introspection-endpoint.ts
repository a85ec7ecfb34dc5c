import { isRotorError } from '../../contract/index.ts'
import { carriesSecret } from '../http/caller-secret.ts'
import { authenticate } from '../sessions/authenticate.ts'
import { readTokenParam } from './oauth-form.ts'
import { oauthError, oauthJson } from './oauth-response.ts'
import type { Issuer } from '../issuer.ts'

// Both schemes the endpoint accepts, so a stock client knows how to retry (RFC 9110 §11.6.1).
const CHALLENGE = 'Basic realm="rotor-introspection", Bearer realm="rotor-introspection"'

/**
 * `POST /oauth/introspect` (RFC 7662) for resource servers in strict mode: `active` only while
 * the token verifies and its session is live, so sign-out shows here at once. Callers
 * authenticate with `INTROSPECTION_SECRET` (Bearer, or as the password of HTTP Basic).
 */
export async function handleIntrospectionRequest(
  issuer: Issuer,
  request: Request,
): Promise<Response> {
  const caller = request.headers.get('authorization')
  if (!(await carriesSecret(caller, issuer.introspectionSecret))) {
    return oauthError('invalid_client', 'Introspection requires caller authentication', {
      headers: { 'www-authenticate': CHALLENGE },
    })
  }
  const token = await readTokenParam(request)
  if (token instanceof Response) return token
  try {
    const { claims } = await authenticate(issuer, token)
    return oauthJson({ active: true, token_type: 'Bearer', scope: '', ...claims })
  } catch (error) {
    if (!isRotorError(error)) throw error
    // Refresh tokens, expired and revoked tokens alike: RFC 7662 §2.2 says only `active: false`.
    return oauthJson({ active: false })
  }
}
