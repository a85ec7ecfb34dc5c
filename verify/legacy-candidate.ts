import { decodeProtectedHeader } from 'jose'
import { ACCESS_TOKEN_TYP, MAX_TOKEN_BYTES } from '../contract/index.ts'

/**
 * Whether a bearer token should take the legacy path. Rotor mints every access token with
 * `typ: at+jwt` (RFC 9068), so any other JWS header can only be a legacy token — decided from
 * the header alone (base64url and JSON, no crypto), so Rotor tokens never pay for a second
 * verification and legacy tokens never reach the key ring.
 */
export function isLegacyCandidate(token: string): boolean {
  if (token.length > MAX_TOKEN_BYTES || token.split('.').length !== 3) return false
  try {
    return !isRotorTyp(decodeProtectedHeader(token).typ)
  } catch {
    return false
  }
}

/** `at+jwt`, with or without the `application/` prefix and in any case (RFC 9068 §2.1). */
export function isRotorTyp(typ: unknown): boolean {
  return (
    typeof typ === 'string' && typ.toLowerCase().replace(/^application\//, '') === ACCESS_TOKEN_TYP
  )
}
