import { describe, expect, test } from 'vitest'
import { parsePasswordHash } from '../../../worker/passwords/hash-format.ts'
import {
  ARGON2ID_PARAMS,
  DECOY_HASH,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../../worker/passwords/password-hash.ts'
import { FIXTURE_PASSWORD, FOREIGN_HASHES } from './hash-fixtures.ts'

describe('password hashing', () => {
  test('stores an argon2id PHC string that verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery staple')
    expect(stored).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    )
    expect(stored).not.toContain('correct horse')
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true)
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false)
    expect(needsRehash(stored)).toBe(false)
  })

  test('the same password hashes differently each time (random salt)', async () => {
    expect(await hashPassword('same password here')).not.toBe(
      await hashPassword('same password here'),
    )
  })

  test('a password is hashed in its NFKC form and verifies typed either way', async () => {
    const typed = 'ｆｕｌｌｗｉｄｔｈ passphrase'
    const stored = await hashPassword(typed)
    expect(await verifyPassword(typed, stored)).toBe(true)
    expect(await verifyPassword(typed.normalize('NFKC'), stored)).toBe(true)
  })

  test('a password shorter than the wasm library accepts never matches and does not throw', async () => {
    expect(await verifyPassword('short', DECOY_HASH)).toBe(false)
    expect(await verifyPassword('', await hashPassword('a longer passphrase'))).toBe(false)
  })

  test('an old Rotor scrypt hash and other argon2id settings still verify and are upgraded', async () => {
    const old = FOREIGN_HASHES['scrypt Rotor 0.2']
    expect(await verifyPassword(FIXTURE_PASSWORD, old)).toBe(true)
    expect(needsRehash(old)).toBe(true)
    expect(needsRehash(FOREIGN_HASHES['argon2id 19 MiB'])).toBe(true) // a 16-byte tag, not 32
  })

  test('the decoy hash for unknown emails costs what a real one does: today’s parameters', async () => {
    const decoy = parsePasswordHash(DECOY_HASH)
    expect(decoy.ok && decoy.hash).toMatchObject({
      scheme: 'argon2id',
      memoryKiB: ARGON2ID_PARAMS.memoryKiB,
      time: ARGON2ID_PARAMS.time,
      parallelism: ARGON2ID_PARAMS.parallelism,
    })
    expect(needsRehash(DECOY_HASH)).toBe(false)
    expect(await verifyPassword('password', DECOY_HASH)).toBe(false)
  })
})
