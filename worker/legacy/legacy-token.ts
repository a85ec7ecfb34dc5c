import { decodeProtectedHeader, errors, jwtVerify } from 'jose'
import type { JWTPayload } from 'jose'
import { MAX_TOKEN_BYTES, RotorError } from '../../contract/index.ts'
import { isRotorTyp } from '../../verify/legacy-candidate.ts'
import type { LegacyKey } from './legacy-key.ts'

/** What Rotor takes from a verified legacy token: the user it names and when it was issued. */
export type LegacyClaims = {
  /** A Rotor user id (`users.id`). */
  sub: string
  /** Epoch seconds; `undefined` when the token has no `iat` (it then counts as too old in warn). */
  iat: number | undefined
}

/** Longest `sub` accepted: user ids are UUIDs, and the value is stored in usage rows. */
export const MAX_LEGACY_SUB = 255

/**
 * Verifies a legacy token with the one configured key and its pinned algorithm (so `alg: none`,
 * HS/RS confusion and other keys fail) and returns its `sub` and `iat`. `exp` is honoured when a
 * legacy token happens to carry one. Throws `TOKEN_INVALID` or `TOKEN_EXPIRED`.
 */
export async function verifyLegacyToken(
  key: LegacyKey,
  token: string,
  nowSeconds: number,
  leeway: number,
): Promise<LegacyClaims> {
  if (token.length > MAX_TOKEN_BYTES) throw invalid('Token is too large')
  let typ: unknown
  try {
    typ = decodeProtectedHeader(token).typ
  } catch (error) {
    throw invalid('Token is not a JWT', error)
  }
  if (isRotorTyp(typ)) throw invalid('A Rotor access token is not a legacy token')
  // Outside the try: a key that cannot be imported is an operator's error, not a bad token.
  const verificationKey = await key.key()
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, verificationKey, {
      algorithms: [key.alg],
      requiredClaims: ['sub'],
      clockTolerance: leeway,
      currentDate: new Date(nowSeconds * 1000),
    }))
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new RotorError('TOKEN_EXPIRED', 'Token has expired', { cause: error })
    }
    throw invalid('Token is not valid', error)
  }
  const { sub, iat } = payload
  if (typeof sub !== 'string' || sub === '' || sub.length > MAX_LEGACY_SUB) {
    throw invalid('Legacy token subject is not valid')
  }
  // jose accepts an iat in the future; a token cannot have been issued after now.
  if (iat !== undefined && (!Number.isInteger(iat) || iat > nowSeconds + leeway)) {
    throw invalid('Legacy token issue time is not valid')
  }
  return { sub, iat }
}

function invalid(message: string, cause?: unknown): RotorError {
  return new RotorError('TOKEN_INVALID', message, { cause })
}
