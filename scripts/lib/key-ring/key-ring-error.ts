/** Why the key script refused: a stable code for tests and exit statuses, a message for people. */
export type KeyRingErrorCode =
  | 'INVALID' // the ring, as read or as it would be written, breaks a rule of SIGNING_KEYS
  | 'UNSAFE' // the step would leave the ring unable to sign or verify
  | 'TOO_EARLY' // the step is safe later; the message says how long to wait
  | 'NOT_FOUND'
  | 'EXISTS'
  | 'USAGE'

/** The one error the key script throws on purpose. Messages name kids and algs, never keys. */
export class KeyRingError extends Error {
  override readonly name = 'KeyRingError'
  readonly code: KeyRingErrorCode

  constructor(code: KeyRingErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
