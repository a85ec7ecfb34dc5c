import { describe, expect, test } from 'vitest'
import setupWasm from 'argon2id/lib/setup.js'
import simd from 'argon2id/dist/simd.wasm'
import noSimd from 'argon2id/dist/no-simd.wasm'
import { NO_PASSWORD } from '../../../worker/passwords/hash-format.ts'
import { needsRehash, verifyPassword } from '../../../worker/passwords/password-hash.ts'
import { FIXTURE_PASSWORD, FOREIGN_HASHES, FULLWIDTH } from './hash-fixtures.ts'

describe('foreign password hashes', () => {
  test.each(Object.entries(FOREIGN_HASHES))('%s verifies the right password', async (_, hash) => {
    expect(await verifyPassword(FIXTURE_PASSWORD, hash)).toBe(true)
    expect(needsRehash(hash)).toBe(true)
  })

  test.each(Object.entries(FOREIGN_HASHES))('%s refuses a wrong password', async (_, hash) => {
    expect(await verifyPassword(`${FIXTURE_PASSWORD}!`, hash)).toBe(false)
    expect(await verifyPassword('', hash)).toBe(false)
  })

  test.each(Object.entries(FOREIGN_HASHES))(
    '%s with one hash character changed fails',
    async (_, hash) => {
      const changed = hash.at(-3) === 'A' ? 'B' : 'A'
      expect(
        await verifyPassword(FIXTURE_PASSWORD, hash.slice(0, -3) + changed + hash.slice(-2)),
      ).toBe(false)
    },
  )

  test('a password the source system did not normalize verifies as typed', async () => {
    expect(FULLWIDTH.password.normalize('NFKC')).not.toBe(FULLWIDTH.password)
    expect(await verifyPassword(FULLWIDTH.password, FULLWIDTH.hash)).toBe(true)
    expect(await verifyPassword(FULLWIDTH.password.normalize('NFKC'), FULLWIDTH.hash)).toBe(false)
  })

  test('no password, a malformed or an absurd hash never matches', async () => {
    for (const stored of [
      NO_PASSWORD,
      'plain',
      '$2b$31$R0DK6Cz4NRq/mQtTlpA.5OIQ7N2quu8CnFLxf3kI4BRVqfkF4pRjS',
      '$argon2id$v=19$m=4194304,t=2,p=1$2b/rPnGkh/bdlb9MLMovAA$o1tULN6z/03l8JUSN+63ig',
      'pbkdf2_sha256$1000000000$JngqgFxwAGyYu0TxZD6AU1$T+wDvaVMqPv4+xlffgvB1BDBTRxxAQS+EVkcHqMLIkY=',
    ]) {
      expect(await verifyPassword(FIXTURE_PASSWORD, stored)).toBe(false)
      expect(needsRehash(stored)).toBe(true)
    }
  })
})

describe('argon2id WebAssembly in workerd', () => {
  // RFC 9106 §5.3: argon2id with a secret and associated data, m=32 KiB, t=3, p=4.
  test('matches the RFC 9106 test vector', async () => {
    const load = (module: WebAssembly.Module) => async (imports: WebAssembly.Imports) => ({
      module,
      instance: await WebAssembly.instantiate(module, imports),
    })
    const compute = await setupWasm(load(simd), load(noSimd))
    const tag = compute({
      password: new Uint8Array(32).fill(1),
      salt: new Uint8Array(16).fill(2),
      secret: new Uint8Array(8).fill(3),
      ad: new Uint8Array(12).fill(4),
      parallelism: 4,
      passes: 3,
      memorySize: 32,
      tagLength: 32,
    })
    expect([...tag].map((byte) => byte.toString(16).padStart(2, '0')).join('')).toBe(
      '0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659',
    )
  })
})
