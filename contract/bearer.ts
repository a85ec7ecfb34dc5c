import { RotorError } from './rotor-error.ts'

// The scheme is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9_.~+/=-]+)$/i

/** The bearer token from an `Authorization` header, or `undefined` when there is none. */
export function readBearer(header: string | null | undefined): string | undefined {
  if (!header) return undefined
  const match = BEARER.exec(header.trim())
  if (!match) throw new RotorError('TOKEN_INVALID', 'Authorization header must be "Bearer <token>"')
  return match[1]
}
