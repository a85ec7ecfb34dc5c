import { z } from 'zod'
import {
  CODE_DIGITS,
  MAX_TOKEN_BYTES,
  TOTP_DIGITS,
  normalizeRecoveryCode,
} from '../../contract/index.ts'

// A surrogate code unit outside a pair is no character: encoded for hashing it becomes U+FFFD, so
// two different inputs would make the same password.
const LONE_SURROGATE = /\p{Cs}/u
const unicodeText = (value: string) => !LONE_SURROGATE.test(value)
const notUnicode = { message: 'Must be Unicode text (no lone surrogate)' }

// Every string is bounded: the body limit caps the request, these cap each field.
export const email = z.email().max(254).refine(unicodeText, notUnicode)
export const password = z.string().min(1).max(1024).refine(unicodeText, notUnicode)
export const refreshToken = z.string().max(256)
export const delivery = z.enum(['cookie', 'body']).default('body')
export const deviceName = z.string().trim().min(1).max(64)
/** One of `CLIENT_IDS`, checked against the configuration when the session starts. */
export const clientId = z.string().min(1).max(32)

export const registerInput = z.object({ email, password })
export const loginInput = z.object({
  email,
  password,
  delivery,
  deviceName: deviceName.optional(),
  clientId: clientId.optional(),
})
export const refreshInput = z.object({ refreshToken: refreshToken.optional() }).optional()
export const logoutInput = z.object({ refreshToken: refreshToken.optional() }).optional()
export const logoutAllInput = z.object({ keepCurrent: z.boolean().default(false) }).optional()
export const changePasswordInput = z.object({ currentPassword: password, newPassword: password })
export const revokeSessionInput = z.object({ sessionId: z.string().min(1).max(64) })
/** `auth.exchangeLegacy` (DESIGN §6): the legacy token travels in the body, not a header. */
export const exchangeLegacyInput = z.object({
  token: z.string().min(1).max(MAX_TOKEN_BYTES),
  delivery,
  deviceName: deviceName.optional(),
  clientId: clientId.optional(),
})
/** `auth.signInWithIdToken`: an OpenID provider's ID token (README: Sessions from another system). */
export const signInWithIdTokenInput = z.object({
  idToken: z.string().min(1).max(MAX_TOKEN_BYTES),
  nonce: z.string().min(1).max(255).optional(),
  delivery,
  deviceName: deviceName.optional(),
  clientId: clientId.optional(),
})

/** A one-time code: exactly its digits (anything else is malformed, refused before any work). */
export const code = z
  .string()
  .length(CODE_DIGITS)
  .regex(/^[0-9]+$/, { message: 'Must be digits only' })
export const emailOnlyInput = z.object({ email })
export const resetPasswordInput = z.object({ email, code, newPassword: password })
export const verifyEmailInput = z.object({ email, code })
export const requestEmailChangeInput = z.object({ newEmail: email, currentPassword: password })
export const confirmEmailChangeInput = z.object({ code })

/** A TOTP code: exactly its digits (README: Second factor). */
export const totpCode = z
  .string()
  .length(TOTP_DIGITS)
  .regex(/^[0-9]+$/, { message: 'Must be digits only' })
/** A recovery code as shown (`abcd-efgh-ijkl-mnop`), any case, dashes and spaces optional. */
export const recoveryCode = z
  .string()
  .max(40)
  .refine((value) => normalizeRecoveryCode(value) !== undefined, {
    message: 'Must be a recovery code (16 letters a–z and digits 2–7)',
  })
/** One second-factor answer: a TOTP code or a recovery code, never both (strict objects). */
const answers = <T extends z.ZodRawShape>(shape: T) =>
  z.union([
    z.strictObject({ ...shape, code: totpCode }),
    z.strictObject({ ...shape, recoveryCode }),
  ])
export const mfaProofInput = answers({})
export const challenge = z.string().min(1).max(64)
export const verifyMfaInput = answers({ challenge })
export const enrollTotpInput = z.object({ password })
export const confirmTotpInput = z.object({ code: totpCode })
export const disableMfaInput = answers({ password })
