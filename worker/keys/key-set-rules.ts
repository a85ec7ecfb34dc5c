import type { JWK } from 'jose'
import {
  CRV_FOR_ALG,
  KEY_STATUSES,
  KTY_FOR_ALG,
  SIGNING_ALGS,
  isSigningAlg,
} from '../../contract/index.ts'
import type { KeyStatus, SigningAlg } from '../../contract/index.ts'

/** A key of `SIGNING_KEYS` that passed every shared rule. */
export type CheckedJwk = JWK & { kid: string; alg: SigningAlg; status?: KeyStatus }

/** What one caller holds a key set to beyond the shared rules; each returns problems. */
export type KeySetRules = {
  /** Per key, after the shared rules pass; `name` is how a message names the key. */
  key?: readonly ((key: CheckedJwk, name: string) => string[])[]
  /** On the whole set, once every key passes. */
  set?: readonly ((keys: readonly CheckedJwk[]) => string[])[]
}

/** The keys of a JWK Set, or `undefined` when `value` is no set or an empty one. */
export function keysOfSet(value: unknown): unknown[] | undefined {
  const keys = (value as { keys?: unknown } | null)?.keys
  return typeof value === 'object' && Array.isArray(keys) && keys.length > 0 ? keys : undefined
}

/**
 * Every rule of `SIGNING_KEYS` the keys break, each message naming the key and the problem: a plain
 * kid, a private asymmetric key of an allowed alg with its key type, curve and whole members, use
 * `sig`, a known status, unique kids, then `extra`. The issuer stops at the first problem; the key
 * script lists them all.
 */
export function keySetProblems(keys: readonly unknown[], extra: KeySetRules = {}): string[] {
  const problems = keys.flatMap((key, index) => keyProblems(key, index, extra))
  if (problems.length > 0) return problems
  const checked = keys as CheckedJwk[]
  return [uniqueKids, ...(extra.set ?? [])].flatMap((rule) => rule(checked))
}

/** The issuer's own rule: exactly one current key signs with `SIGNING_ALG`. */
export function oneCurrentKeyFor(alg: SigningAlg): (keys: readonly CheckedJwk[]) => string[] {
  return (keys) => {
    const count = keys.filter((key) => statusOf(key) === 'current' && key.alg === alg).length
    return count === 1
      ? []
      : [`exactly one current ${alg} key must sign (SIGNING_ALG); found ${count}`]
  }
}

/**
 * The key script's stricter rules: every key states its status and its times, and each alg has at
 * most one next and one current key, so each step of a rotation has one key to act on.
 */
export const KEY_SCRIPT_RULES: KeySetRules = {
  key: [
    (key, name) => (key.status === undefined ? [`${name} has no status`] : []),
    (key, name) =>
      ['created', 'published', 'retired'].flatMap((time) => {
        const value = (key as Record<string, unknown>)[time]
        const ok = Number.isInteger(value) || (time !== 'created' && value === undefined)
        return ok ? [] : [`${name} needs ${time} in whole epoch seconds`]
      }),
  ],
  set: [
    (keys) =>
      SIGNING_ALGS.flatMap((alg) =>
        (['next', 'current'] as const).flatMap((status) => {
          const count = keys.filter((key) => key.alg === alg && key.status === status).length
          return count > 1 ? [`${count} ${status} ${alg} keys; at most one is allowed`] : []
        }),
      ),
    (keys) => (keys.some((key) => key.status === 'current') ? [] : ['no current key signs']),
  ],
}

/** A key without a status is current: a ring of one hand-made key needs none. */
export function statusOf(key: CheckedJwk): KeyStatus {
  return key.status ?? 'current'
}

// Kids are printed, logged and written inside a single-quoted dotenv value: keep them plain.
const KID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/
// Byte lengths of each member: a corrupted key would otherwise pass and fail at its first use.
const MEMBER_BYTES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  EC: { x: 32, y: 32, d: 32 },
  OKP: { x: 32, d: 32 },
}
// RSA private keys need their CRT members too, or WebCrypto will not import them.
const RSA_PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi']
const RSA_MEMBERS = ['n', 'e', ...RSA_PRIVATE]

function keyProblems(value: unknown, index: number, extra: KeySetRules): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`key ${index} is not a JWK object`]
  }
  const key = value as Record<string, unknown>
  if (typeof key.kid !== 'string' || !KID_PATTERN.test(key.kid)) {
    return [`key ${index} needs a kid of 1-128 letters, digits, '.', '_', ':' or '-'`]
  }
  const name = `key ${key.kid}`
  const allowed = SIGNING_ALGS.join(', ')
  if (key.kty === 'oct' || (typeof key.alg === 'string' && key.alg.startsWith('HS'))) {
    const alg = String(key.alg)
    return [`${name} is a symmetric key (alg ${alg}); only ${allowed} private keys are allowed`]
  }
  if (!isSigningAlg(key.alg)) return [`${name} has alg ${String(key.alg)}; allowed: ${allowed}`]
  const problems: string[] = []
  const kty = KTY_FOR_ALG[key.alg]
  if (key.kty !== kty) problems.push(`${name} is not a ${key.alg} key (kty ${String(key.kty)})`)
  else problems.push(...shapeProblems(key, name, key.alg))
  if (key.use !== undefined && key.use !== 'sig') {
    problems.push(`${name} has use ${String(key.use)}, not sig`)
  }
  if (key.status !== undefined && !KEY_STATUSES.includes(key.status as KeyStatus)) {
    problems.push(`${name} has status ${String(key.status)}; allowed: ${KEY_STATUSES.join(', ')}`)
  }
  if (problems.length > 0) return problems
  return (extra.key ?? []).flatMap((rule) => rule(value as CheckedJwk, name))
}

// Curve, private part and members of a key whose type matches its alg.
function shapeProblems(key: Record<string, unknown>, name: string, alg: SigningAlg): string[] {
  const crv = CRV_FOR_ALG[alg]
  if (crv !== undefined && key.crv !== crv) return [`${name} must use curve ${crv}`]
  const bytes = (member: string) => {
    const value = key[member]
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) return -1
    return Math.floor((value.length * 3) / 4)
  }
  const kty = KTY_FOR_ALG[alg]
  if (typeof key.d !== 'string') {
    const missing = kty === 'RSA' ? RSA_PRIVATE.filter((m) => typeof key[m] !== 'string') : ['d']
    return [`${name} is not a private key (public-only: no ${missing.join(', ')})`]
  }
  if (kty === 'RSA') {
    const missing = RSA_MEMBERS.filter((member) => bytes(member) <= 0)
    if (missing.length > 0) return [`${name} lacks RSA members ${missing.join(', ')}`]
    return bytes('n') < 256 ? [`${name} has an RSA modulus under 2048 bits`] : []
  }
  return Object.entries(MEMBER_BYTES[kty] ?? {})
    .filter(([member, size]) => bytes(member) !== size)
    .map(([member]) => `${name} has a malformed "${member}"`)
}

function uniqueKids(keys: readonly CheckedJwk[]): string[] {
  const seen = new Set<string>()
  return keys.flatMap((key) => {
    if (seen.has(key.kid)) return [`kid ${key.kid} appears twice`]
    seen.add(key.kid)
    return []
  })
}
