import { scrypt, timingSafeEqual } from 'node:crypto'
import { base64url } from 'jose'

/**
 * scrypt parameters from the OWASP Password Storage Cheat Sheet's equivalent set
 * N=2^15, r=8, p=3: 32 MiB per hash, fits the 128 MB isolate; measured in workerd in the README.
 */
export const SCRYPT_PARAMS = { ln: 15, r: 8, p: 3 } as const

type ScryptParams = { ln: number; r: number; p: number }

const KEY_BYTES = 32
const SALT_BYTES = 16
// `$scrypt$ln=15,r=8,p=3$<salt>$<hash>`: self-describing so parameters can rise over time.
const FORMAT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})$/

export async function hashPassword(
  password: string,
  params: ScryptParams = SCRYPT_PARAMS,
): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  const key = await derive(password, salt, params)
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${base64url.encode(salt)}$${base64url.encode(key)}`
}

/** Constant-time check of `password` against a stored hash; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (!parsed) return false
  const key = await derive(password, parsed.salt, parsed.params)
  return timingSafeEqual(key, parsed.key)
}

/** Whether a stored hash was made with weaker parameters than today's and should be redone. */
export function needsRehash(stored: string, params: ScryptParams = SCRYPT_PARAMS): boolean {
  const parsed = parseHash(stored)
  return (
    !parsed ||
    parsed.params.ln < params.ln ||
    parsed.params.r < params.r ||
    parsed.params.p < params.p
  )
}

/**
 * A hash of a random password that was thrown away, with today's parameters: a sign-in for an
 * unknown email verifies against it and costs exactly what a real one does. A constant, so not
 * even an isolate's first unknown email pays for making it. Regenerate when `SCRYPT_PARAMS` rise
 * (a test checks they match).
 */
export const DECOY_HASH =
  '$scrypt$ln=15,r=8,p=3$KjKICTFNkuK2jtDJqi1LZw$US0xrZElVMVvnleEM97o4c3GF5UJV3X-Wq0hiokSNiE'

function parseHash(stored: string) {
  const match = FORMAT.exec(stored)
  if (!match) return undefined
  const [, ln, r, p, salt, key] = match
  return {
    params: { ln: Number(ln), r: Number(r), p: Number(p) },
    salt: base64url.decode(salt!),
    key: base64url.decode(key!),
  }
}

function derive(
  password: string,
  salt: Uint8Array,
  { ln, r, p }: ScryptParams,
): Promise<Uint8Array> {
  const N = 2 ** ln
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_BYTES,
      { N, r, p, maxmem: 256 * N * r },
      (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))),
    )
  })
}
