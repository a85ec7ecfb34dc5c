import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../worker/config/config.ts'
import { createKeyRing } from '../../../worker/keys/key-ring.ts'
import { keySetProblems } from '../../../worker/keys/key-set-rules.ts'
import { validateKeySet } from '../../../scripts/lib/key-ring/validate.ts'
import { KeyRingError } from '../../../scripts/lib/key-ring/key-ring-error.ts'
import { generateKeySet } from '../../../scripts/lib/signing-keys.ts'

const ring = await generateKeySet({ now: 1_800_000_000 })
const es = ring.keys.find((key) => key.alg === 'ES256')!
const rsa = ring.keys.find((key) => key.alg === 'RS256')!
const others = ring.keys.filter((key) => key !== es)

/** The message each side throws for a ring, or `undefined` when it accepts the ring. */
function refusals(keys: unknown[]): { issuer?: string; script?: string } {
  const caught = (run: () => unknown, type: new (...args: never[]) => Error) => {
    try {
      run()
      return undefined
    } catch (error) {
      // Anything but the side's own error type is a bug, not a refusal: let it fail the test.
      if (!(error instanceof type)) throw error
      return error.message
    }
  }
  return {
    issuer: caught(() => createKeyRing(JSON.stringify({ keys }), 'ES256'), ConfigError),
    script: caught(() => validateKeySet({ keys }), KeyRingError),
  }
}

describe('SIGNING_KEYS rules shared by the issuer and the key script', () => {
  test.each([
    ['a truncated member', { d: es.d!.slice(0, 20) }, 'has a malformed "d"'],
    ['a wrong curve', { crv: 'P-384' }, 'must use curve P-256'],
    ['a public key', { d: undefined }, 'is not a private key (public-only: no d)'],
    ['a key type that does not match its alg', { kty: 'OKP' }, 'is not a ES256 key (kty OKP)'],
    ['a use other than sig', { use: 'enc' }, 'has use enc, not sig'],
    ['an unknown status', { status: 'old' }, 'has status old; allowed: next, current, retiring'],
  ])('%s is refused by both, in the same words, naming the key', (_, patch, problem) => {
    const { issuer, script } = refusals([{ ...es, ...patch }, ...others])
    expect(issuer).toBe(`SIGNING_KEYS: key ${es.kid} ${problem}`)
    expect(script).toBe(`SIGNING_KEYS is not valid:\n  - key ${es.kid} ${problem}`)
  })

  test('a kid that is not plain text, or a kid used twice, is refused by both', () => {
    const plain = refusals([{ ...es, kid: 'my key' }, ...others])
    expect(plain.issuer).toMatch(/key 0 needs a kid of 1-128 letters/)
    expect(plain.script).toMatch(/key 0 needs a kid of 1-128 letters/)
    const twice = refusals([es, { ...rsa, kid: es.kid, status: 'retiring' }])
    expect(twice.issuer).toBe(`SIGNING_KEYS: kid ${es.kid} appears twice`)
    expect(twice.script).toContain(`kid ${es.kid} appears twice`)
  })

  test('every problem of every key is listed; the issuer stops at the first', () => {
    const keys = [
      { ...es, crv: 'P-384' },
      { ...rsa, alg: 'PS256' },
    ]
    expect(keySetProblems(keys)).toEqual([
      `key ${es.kid} must use curve P-256`,
      `key ${rsa.kid} has alg PS256; allowed: ES256, EdDSA, RS256`,
    ])
    expect(refusals(keys).issuer).toBe(`SIGNING_KEYS: key ${es.kid} must use curve P-256`)
  })
})

describe('rules one side keeps', () => {
  test('a key without a status is current to the issuer; the script wants it stated', () => {
    const { status: _status, ...unstated } = es
    const { issuer, script } = refusals([unstated])
    expect(issuer).toBeUndefined()
    expect(script).toContain(`key ${es.kid} has no status`)
  })

  test('two current keys of an alg the issuer does not sign with pass it, not the script', () => {
    const second = { ...rsa, kid: 'rs256-second' }
    const { issuer, script } = refusals([...ring.keys, second])
    expect(issuer).toBeUndefined()
    expect(script).toContain('2 current RS256 keys; at most one is allowed')
  })

  test('the issuer needs one current key for SIGNING_ALG; the script needs one at all', () => {
    const { issuer, script } = refusals([{ ...es, status: 'next' }, ...others])
    expect(issuer).toBe(
      'SIGNING_KEYS: exactly one current ES256 key must sign (SIGNING_ALG); found 0',
    )
    expect(script).toBeUndefined()
  })
})
