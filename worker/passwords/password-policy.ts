import { RotorError } from '../../contract/index.ts'

/** NIST SP 800-63B: at least 8 characters, long passphrases allowed, no composition rules. */
export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 256

// A short list of the passwords that credential-stuffing lists try first.
const COMMON = new Set([
  'password',
  'password1',
  'password12',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  '12345678',
  '123456789',
  '1234567890',
  '0123456789',
  '87654321',
  '11111111',
  '00000000',
  '12341234',
  'qwertyui',
  'qwerty123',
  'qwertyuiop',
  '1q2w3e4r',
  '1qaz2wsx',
  'zaq12wsx',
  'asdfghjk',
  'iloveyou',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'welcome1',
  'abc12345',
  'letmein1',
  'trustno1',
  'superman',
  'starwars',
  'whatever',
  'dragon12',
  'monkey12',
  'changeme',
  'admin123',
  'administrator',
  'qwerty12',
  'aa123456',
  'abcd1234',
  'computer',
  'internet',
  'michelle',
  'jennifer',
  'mustang1',
  'shadow12',
  'master12',
  'passpass',
])

/** Throws `WEAK_PASSWORD` for a password that is too short, too long, or on the common list. */
export function assertStrongPassword(password: string, email?: string): void {
  const length = [...password].length
  if (length < MIN_PASSWORD_LENGTH) {
    throw new RotorError(
      'WEAK_PASSWORD',
      `Password must be at least ${MIN_PASSWORD_LENGTH} characters`,
    )
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new RotorError(
      'WEAK_PASSWORD',
      `Password must be at most ${MAX_PASSWORD_LENGTH} characters`,
    )
  }
  const lowered = password.toLowerCase()
  if (COMMON.has(lowered) || (email !== undefined && lowered === email.toLowerCase())) {
    throw new RotorError('WEAK_PASSWORD', 'Password is too common; choose a longer passphrase')
  }
}
