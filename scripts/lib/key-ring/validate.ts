import type { SigningAlg } from '../../../contract/index.ts'
import { SIGNING_ALGS } from '../../../contract/index.ts'
import { KEY_SCRIPT_RULES, keySetProblems, keysOfSet } from '../../../worker/keys/key-set-rules.ts'
import type { KeySet } from '../signing-keys.ts'
import { KeyRingError } from './key-ring-error.ts'

/**
 * Checks a parsed `SIGNING_KEYS` value against the issuer's own rules and the script's stricter
 * ones (`KEY_SCRIPT_RULES`). Throws `INVALID` listing every problem found.
 */
export function validateKeySet(value: unknown): KeySet {
  const keys = keysOfSet(value)
  if (keys === undefined) {
    throw new KeyRingError('INVALID', 'SIGNING_KEYS must be a JWK Set with at least one key')
  }
  const problems = keySetProblems(keys, KEY_SCRIPT_RULES)
  if (problems.length > 0) {
    throw new KeyRingError('INVALID', `SIGNING_KEYS is not valid:\n  - ${problems.join('\n  - ')}`)
  }
  return value as KeySet
}

/**
 * Refuses a change that would take signing away from an algorithm: every alg with a current key
 * before must still have one after, and the result must itself be a valid ring.
 */
export function assertSafeChange(before: KeySet, after: KeySet): void {
  validateKeySet(after)
  for (const alg of SIGNING_ALGS) {
    if (hasCurrent(before, alg) && !hasCurrent(after, alg)) {
      throw new KeyRingError(
        'UNSAFE',
        `refused: the ring would be left without a current ${alg} key`,
      )
    }
  }
}

function hasCurrent(ring: KeySet, alg: SigningAlg): boolean {
  return ring.keys.some((key) => key.alg === alg && key.status === 'current')
}
