import { describe, expect, test } from 'vitest'
import {
  DECOY_HASH,
  SCRYPT_PARAMS,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../../worker/passwords/password-hash.ts'

describe('password hashing', () => {
  test('stores a self-describing scrypt hash that verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery staple')
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(stored).not.toContain('correct horse')
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true)
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false)
  })

  test('the same password hashes differently each time (random salt)', async () => {
    expect(await hashPassword('same password here')).not.toBe(
      await hashPassword('same password here'),
    )
  })

  test('hashes made with weaker parameters are flagged for re-hashing and still verify', async () => {
    const weak = await hashPassword('an older passphrase', { ln: 12, r: 8, p: 1 })
    expect(needsRehash(weak)).toBe(true)
    expect(await verifyPassword('an older passphrase', weak)).toBe(true)
    expect(needsRehash(await hashPassword('an older passphrase'))).toBe(false)
  })

  test('a malformed stored hash never verifies', async () => {
    for (const stored of [
      '',
      'plain',
      '$scrypt$ln=99,r=8,p=1$x$y',
      '$argon2id$v=19$m=1,t=1,p=1$a$b',
    ]) {
      expect(await verifyPassword('anything', stored)).toBe(false)
    }
  })

  test('the decoy hash for unknown emails costs what a real one does: today’s parameters', async () => {
    expect(needsRehash(DECOY_HASH)).toBe(false)
    expect(
      DECOY_HASH.startsWith(
        `$scrypt$ln=${SCRYPT_PARAMS.ln},r=${SCRYPT_PARAMS.r},p=${SCRYPT_PARAMS.p}$`,
      ),
    ).toBe(true)
    expect(await verifyPassword('password', DECOY_HASH)).toBe(false)
  })
})
