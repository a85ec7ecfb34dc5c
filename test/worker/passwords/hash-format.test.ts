import { describe, expect, test } from 'vitest'
import { NO_PASSWORD, parsePasswordHash } from '../../../worker/passwords/hash-format.ts'
import { FOREIGN_HASHES } from './hash-fixtures.ts'

const refusal = (stored: string) => {
  const verdict = parsePasswordHash(stored)
  return verdict.ok ? 'accepted' : verdict.reason
}

describe('stored password-hash formats', () => {
  test.each(Object.entries(FOREIGN_HASHES))('%s parses', (_, hash) => {
    expect(parsePasswordHash(hash).ok).toBe(true)
  })

  test('absurd parameters are refused with their reason, before any work', () => {
    const bcrypt = FOREIGN_HASHES['bcrypt $2b$']
    expect(refusal(bcrypt.replace('$04$', '$31$'))).toBe('bcrypt cost 31 is outside 4–12')
    expect(refusal(bcrypt.replace('$04$', '$14$'))).toBe('bcrypt cost 14 is outside 4–12')
    const argon2 = FOREIGN_HASHES['argon2id 19 MiB']
    expect(refusal(argon2.replace('m=19456', 'm=4194304'))).toBe(
      'argon2 memory 4194304 KiB is outside 8–65536',
    )
    expect(refusal(argon2.replace('t=2', 't=6'))).toBe('argon2 time cost 6 is outside 1–5')
    const django = FOREIGN_HASHES['django pbkdf2 1M']
    expect(refusal(django.replace('$1000000$', '$1000000000$'))).toBe(
      'PBKDF2 iterations 1000000000 are outside 1000–1200000',
    )
    const scrypt = FOREIGN_HASHES['scrypt Rotor 0.2']
    expect(refusal(scrypt.replace('ln=15', 'ln=20'))).toMatch(/^scrypt memory/)
  })

  test('no password and unknown formats are refused, never echoed', () => {
    expect(refusal(NO_PASSWORD)).toBe('the hash format is not one Rotor can verify')
    expect(refusal('$md5$secret-looking')).not.toContain('secret')
    expect(refusal('$argon2i$v=19$m=256,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA')).toBe(
      'argon2i is not supported, only argon2id',
    )
  })
})
