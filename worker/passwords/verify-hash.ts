import { timingSafeEqual } from 'node:crypto'
import { argon2id } from './argon2id.ts'
import { bcryptRehash } from './verify-bcrypt.ts'
import { pbkdf2Sha256 } from './pbkdf2-sha256.ts'
import { scryptKey } from './verify-scrypt.ts'
import type { ParsedHash } from './hash-format.ts'

/**
 * Whether `password` derives the stored key of `hash`, whatever its scheme: the derived bytes are
 * compared in constant time. `hash` was parsed (and so bounded) by `parsePasswordHash`.
 */
export async function matchesHash(password: string, hash: ParsedHash): Promise<boolean> {
  if (hash.scheme === 'bcrypt') {
    const derived = await bcryptRehash(password, hash.encoded)
    return equal(encoder.encode(derived), encoder.encode(hash.encoded))
  }
  const bytes = encoder.encode(password)
  // The wasm library refuses passwords under 8 bytes (RFC 9106 allows them): such a password
  // costs the same work on a stand-in and never matches.
  if (hash.scheme === 'argon2id' && bytes.length < MIN_ARGON2_PASSWORD) {
    await derive(new Uint8Array(MIN_ARGON2_PASSWORD), hash)
    return false
  }
  return equal(await derive(bytes, hash), hash.key)
}

const encoder = new TextEncoder()
const MIN_ARGON2_PASSWORD = 8

async function derive(
  password: Uint8Array,
  hash: Exclude<ParsedHash, { scheme: 'bcrypt' }>,
): Promise<Uint8Array> {
  const length = hash.key.length
  switch (hash.scheme) {
    case 'argon2id':
      return argon2id(password, hash.salt, hash, length)
    case 'scrypt':
      return scryptKey(password, hash.salt, hash, length)
    case 'pbkdf2-sha256':
      return pbkdf2Sha256(password, hash.salt, hash.iterations, length)
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}
