import type { SigningAlg } from '../../../contract/index.ts'
import { expect } from 'vitest'
import { KeyRingError } from '../../../scripts/lib/key-ring/key-ring-error.ts'
import type { KeyRingErrorCode } from '../../../scripts/lib/key-ring/key-ring-error.ts'
import { generateKeySet, generateSigningKey } from '../../../scripts/lib/signing-keys.ts'
import type { KeySet, SigningJwk } from '../../../scripts/lib/signing-keys.ts'

/** A fixed start of time for every test, in epoch seconds. */
export const T0 = 1_800_000_000

/** Every JWK member that is private for EC, OKP or RSA keys. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const

/** A first ring as `generate` writes it: one current key per algorithm. */
export function firstRing(now = T0): Promise<KeySet> {
  return generateKeySet({ now })
}

/** A fresh key of `alg` in `status`, created at `now`. */
export function freshKey(alg: SigningAlg, status: SigningJwk['status'], now = T0) {
  return generateSigningKey(alg, status, { now })
}

/** The key of `alg` in `status`, failing the test if there is none. */
export function keyOf(ring: KeySet, alg: SigningAlg, status: SigningJwk['status']): SigningJwk {
  const key = ring.keys.find((k) => k.alg === alg && k.status === status)
  expect(key, `${status} ${alg} key`).toBeDefined()
  return key!
}

/** The private member values of every key in the rings, to look for in printed output. */
export function privateValues(...rings: KeySet[]): string[] {
  return rings.flatMap((ring) =>
    ring.keys.flatMap((key) =>
      PRIVATE_MEMBERS.flatMap((m) => (typeof key[m] === 'string' ? [key[m]] : [])),
    ),
  )
}

/** Asserts `run` throws a `KeyRingError` with `code` whose message matches `message`. */
export function expectRefusal(run: () => unknown, code: KeyRingErrorCode, message?: RegExp) {
  let thrown: unknown
  try {
    run()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(KeyRingError)
  expect((thrown as KeyRingError).code).toBe(code)
  if (message) expect((thrown as KeyRingError).message).toMatch(message)
}
