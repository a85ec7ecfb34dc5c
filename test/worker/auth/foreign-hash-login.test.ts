import { describe, expect, test } from 'vitest'
import { needsRehash } from '../../../worker/passwords/password-hash.ts'
import { FOREIGN_HASHES } from '../passwords/hash-fixtures.ts'
import { seedUser, storedHash } from '../helpers/seed-user.ts'
import { createTestIssuer, failure, login } from '../helpers/issuer.ts'

// PBKDF2 at Django's 1M iterations runs in plain JavaScript (workerd caps WebCrypto's count):
// seconds of CPU on a loaded machine, so this file allows more than the default 5 s per test.
describe('sign-in with a hash brought from another system', { timeout: 30_000 }, () => {
  test.each(Object.entries(FOREIGN_HASHES))(
    '%s: signs in, becomes Rotor’s scheme, and the password still works',
    async (_, foreign) => {
      const t = createTestIssuer()
      const user = await seedUser(foreign)
      expect((await login(t, user)).user.id).toBe(user.id)
      const upgraded = await storedHash(user.id)
      expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
      expect(needsRehash(upgraded)).toBe(false)
      expect((await login(t, user)).user.id).toBe(user.id)
      expect(await storedHash(user.id)).toBe(upgraded)
    },
  )

  test.each(Object.entries(FOREIGN_HASHES))(
    '%s: a wrong password is refused and leaves the hash untouched',
    async (_, foreign) => {
      const t = createTestIssuer()
      const user = await seedUser(foreign)
      const result = await t.call('auth.login', { email: user.email, password: 'not it at all' })
      expect(failure(result)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
      expect(await storedHash(user.id)).toBe(foreign)
    },
  )
})
