import { hash } from 'bcryptjs'

/**
 * The bcrypt hash of `password` under the salt and cost of `stored`, in the same `$2a$`, `$2b$` or
 * `$2y$` form (one algorithm for UTF-8 input), so the two compare byte for byte. bcrypt reads at
 * most 72 bytes of the password, as every implementation does.
 */
export function bcryptRehash(password: string, stored: string): Promise<string> {
  return hash(password, stored.slice(0, 29))
}
