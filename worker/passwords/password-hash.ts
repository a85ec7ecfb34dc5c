import { argon2id } from './argon2id.ts'
import { parsePasswordHash } from './hash-format.ts'
import { matchesHash } from './verify-hash.ts'
import type { Argon2idParams } from './argon2id.ts'
import type { ParsedHash } from './hash-format.ts'

/**
 * Rotor's own scheme: argon2id at OWASP's first setting (19 MiB, 2 passes, 1 lane), which costs
 * less CPU per sign-in in workerd than the scrypt 2^15·8·3 it replaced (README, "Password
 * hashes"). Any other stored hash, scrypt included, is replaced at the next successful sign-in.
 */
export const ARGON2ID_PARAMS: Argon2idParams = { memoryKiB: 19_456, time: 2, parallelism: 1 }

const KEY_BYTES = 32
const SALT_BYTES = 16

/** A PHC string, `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` in unpadded standard base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  const { memoryKiB: m, time: t, parallelism: p } = ARGON2ID_PARAMS
  const key = await argon2id(encoder.encode(normalize(password)), salt, ARGON2ID_PARAMS, KEY_BYTES)
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${base64(salt)}$${base64(key)}`
}

/**
 * Constant-time check of `password` against a stored hash of any accepted format. A malformed
 * hash or `NO_PASSWORD` never matches, yet costs a full check (against `DECOY_HASH`). The password
 * is tried as typed and, when it differs, in the NFKC form Rotor hashes: foreign systems rarely
 * normalize. The cost depends on the caller's own input only.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const verdict = parsePasswordHash(stored)
  const hash = verdict.ok ? verdict.hash : decoy
  let ok = false
  for (const form of new Set([password, normalize(password)])) {
    ok = (await matchesHash(form, hash)) || ok
  }
  return verdict.ok && ok
}

/** Whether a stored hash is anything but Rotor's current scheme and parameters. */
export function needsRehash(stored: string): boolean {
  const verdict = parsePasswordHash(stored)
  if (!verdict.ok || verdict.hash.scheme !== 'argon2id') return true
  const { memoryKiB, time, parallelism, key } = verdict.hash
  const current = ARGON2ID_PARAMS
  return (
    memoryKiB !== current.memoryKiB ||
    time !== current.time ||
    parallelism !== current.parallelism ||
    key.length !== KEY_BYTES
  )
}

/**
 * A hash of a random password that was thrown away, with today's parameters: a sign-in for an
 * unknown email verifies against it and costs exactly what a real one does. A constant, so not
 * even an isolate's first unknown email pays for making it. Regenerate when `ARGON2ID_PARAMS`
 * change (a test checks they match).
 */
export const DECOY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$O6C70YyES9jONx3JeXXumA$5M85IoaxuT62f4f8JGFx2IR1mgkmpfJz5DfI9pBdWoQ'

const decoy = (parsePasswordHash(DECOY_HASH) as { ok: true; hash: ParsedHash }).hash
const encoder = new TextEncoder()

function normalize(password: string): string {
  return password.normalize('NFKC')
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, '')
}
