import { timingSafeEqual } from 'node:crypto'
import { isRotorError } from '../errors'
import { authenticate } from '../sessions/authenticate'
import { oauthError, oauthJson, readForm } from './oauth-response'
import type { Issuer } from '../issuer'

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
  if (!(await isAuthenticatedCaller(caller, issuer.introspectionSecret))) {
    return oauthError('invalid_client', 'Introspection requires caller authentication', {
      headers: { 'www-authenticate': 'Basic realm="rotor-introspection"' },
    })
  }
  const form = await readForm(request)
  if (!form) return oauthError('invalid_request', 'Send an application/x-www-form-urlencoded body')
  const token = form.get('token')
  if (token === null || token === '') return oauthError('invalid_request', 'token is required')
  try {
    const { claims } = await authenticate(issuer, token)
    return oauthJson({ active: true, token_type: 'access_token', scope: '', ...claims })
  } catch (error) {
    if (!isRotorError(error)) throw error
    // Refresh tokens, expired and revoked tokens alike: RFC 7662 §2.2 says only `active: false`.
    return oauthJson({ active: false })
  }
}

async function isAuthenticatedCaller(header: string | null, secret: string | undefined) {
  if (!secret || !header) return false
  const presented = callerSecret(header)
  if (presented === undefined) return false
  // Compare digests so neither length nor content leaks through timing.
  const [a, b] = await Promise.all([digest(presented), digest(secret)])
  return timingSafeEqual(a, b)
}

function callerSecret(header: string): string | undefined {
  const [scheme, value] = header.trim().split(/\s+/, 2)
  if (!value || value.length > 1024) return undefined
  if (scheme?.toLowerCase() === 'bearer') return value
  if (scheme?.toLowerCase() !== 'basic') return undefined
  try {
    const decoded = atob(value)
    const colon = decoded.indexOf(':')
    return colon > 0 ? decodeURIComponent(decoded.slice(colon + 1)) : undefined
  } catch {
    return undefined
  }
}

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)))
}
