import type { RotorReason } from '../contract/index.ts'

// The reasons that say the bearer token the caller sent is unusable (RFC 6750 §3.1 invalid_token).
const TOKEN_REFUSALS: ReadonlySet<RotorReason> = new Set([
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'SESSION_REVOKED',
  'SESSION_EXPIRED',
  'LEGACY_TOKEN_REJECTED',
])

/**
 * The `WWW-Authenticate` value of a 401, which every 401 must carry (RFC 9110 §15.5.2). RFC 6750
 * §3.1: a request that sent no bearer token gets a bare `Bearer` challenge with no error code;
 * one whose token was refused gets `error="invalid_token"` and the message, which never holds a
 * secret. The issuer and the verifier both answer this way.
 */
export function bearerChallenge(
  reason: RotorReason,
  options: { sentToken: boolean; description?: string },
): string {
  if (!options.sentToken || !TOKEN_REFUSALS.has(reason)) return 'Bearer'
  const description = options.description?.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '')
  return description
    ? `Bearer error="invalid_token", error_description="${description}"`
    : 'Bearer error="invalid_token"'
}
