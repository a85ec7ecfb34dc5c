import type { SigningAlg } from '../../../contract/index.ts'
import { SIGNING_ALGS } from '../../../contract/index.ts'
import type { KeySet, SigningJwk } from '../signing-keys.ts'
import { KeyRingError } from './key-ring-error.ts'

const STATUSES = ['next', 'current', 'retiring']
const KTY_FOR_ALG: Readonly<Record<SigningAlg, string>> = {
  ES256: 'EC',
  EdDSA: 'OKP',
  RS256: 'RSA',
}
const CRV_FOR_ALG: Readonly<Partial<Record<SigningAlg, string>>> = {
  ES256: 'P-256',
  EdDSA: 'Ed25519',
}
// RSA private keys need their CRT members too, or WebCrypto will not import them.
const PRIVATE_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['d'],
  OKP: ['d'],
  RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'],
}
// Kids are printed and written inside a single-quoted dotenv value: keep them plain.
const KID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * Checks a parsed `SIGNING_KEYS` value against every rule the script keeps: private asymmetric
 * keys of an allowed alg only, unique kids, at most one next and one current key per alg, and at
 * least one current key. Throws `INVALID` listing every problem found.
 */
export function validateKeySet(value: unknown): KeySet {
  const keys = (value as { keys?: unknown } | null)?.keys
  if (typeof value !== 'object' || !Array.isArray(keys) || keys.length === 0) {
    throw new KeyRingError('INVALID', 'SIGNING_KEYS must be a JWK Set with at least one key')
  }
  const problems = keys.flatMap((key, index) => keyProblems(key, index))
  if (problems.length === 0) problems.push(...setProblems(keys as SigningJwk[]))
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

function keyProblems(value: unknown, index: number): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`key ${index} is not a JWK object`]
  }
  const key = value as Record<string, unknown>
  if (typeof key.kid !== 'string' || !KID_PATTERN.test(key.kid)) {
    return [`key ${index} needs a kid of 1-128 letters, digits, '.', '_', ':' or '-'`]
  }
  const name = `key ${key.kid}`
  if (key.kty === 'oct' || (typeof key.alg === 'string' && key.alg.startsWith('HS'))) {
    return [`${name} is a symmetric key; only ${SIGNING_ALGS.join(', ')} private keys are allowed`]
  }
  const alg = key.alg as SigningAlg
  if (!SIGNING_ALGS.includes(alg)) {
    return [`${name} has alg ${String(key.alg)}; allowed: ${SIGNING_ALGS.join(', ')}`]
  }
  const problems: string[] = []
  if (key.kty !== KTY_FOR_ALG[alg])
    problems.push(`${name} is not a ${alg} key (kty ${String(key.kty)})`)
  const crv = CRV_FOR_ALG[alg]
  if (crv && key.crv !== crv) problems.push(`${name} must use curve ${crv}`)
  const missing = (PRIVATE_MEMBERS[KTY_FOR_ALG[alg]] ?? []).filter(
    (m) => typeof key[m] !== 'string',
  )
  if (missing.length > 0) problems.push(`${name} is public-only (no ${missing.join(', ')})`)
  if (key.use !== undefined && key.use !== 'sig')
    problems.push(`${name} has use ${String(key.use)}, not sig`)
  if (!STATUSES.includes(key.status as string)) {
    problems.push(`${name} has status ${String(key.status)}; allowed: ${STATUSES.join(', ')}`)
  }
  for (const time of ['created', 'published', 'retired']) {
    const ok = Number.isInteger(key[time]) || (time !== 'created' && key[time] === undefined)
    if (!ok) problems.push(`${name} needs ${time} in whole epoch seconds`)
  }
  return problems
}

function setProblems(keys: readonly SigningJwk[]): string[] {
  const problems: string[] = []
  const kids = new Set<string>()
  for (const key of keys) {
    if (kids.has(key.kid)) problems.push(`kid ${key.kid} appears twice`)
    kids.add(key.kid)
  }
  for (const alg of SIGNING_ALGS) {
    for (const status of ['next', 'current'] as const) {
      const count = keys.filter((key) => key.alg === alg && key.status === status).length
      if (count > 1) problems.push(`${count} ${status} ${alg} keys; at most one is allowed`)
    }
  }
  if (!keys.some((key) => key.status === 'current')) problems.push('no current key signs')
  return problems
}
