import type { SigningAlg } from '../../../contract/index.ts'
import { JWKS_MAX_AGE, PUBLISH_LEAD } from '../../../contract/index.ts'
import type { KeySet, SigningJwk } from '../signing-keys.ts'
import { KeyRingError } from './key-ring-error.ts'
import { assertSafeChange } from './validate.ts'
import { formatDuration } from './timing.ts'

export type PromoteOptions = {
  /** The clock, epoch seconds. */
  now: number
  /** Promote even if the next key was published less than `PUBLISH_LEAD` ago. */
  force?: boolean
}

export type PromoteResult = {
  ring: KeySet
  /** The kid that signs from now on. */
  promoted: string
  /** The kid that stopped signing, if the alg had a current key. */
  retiring?: string
  warnings: string[]
}

/** The key of `alg` in `status`, if the ring holds one (validation allows at most one). */
export function findKey(ring: KeySet, alg: SigningAlg, status: SigningJwk['status']) {
  return ring.keys.find((key) => key.alg === alg && key.status === status)
}

/**
 * Rotation step 1: publishes `key` as the `next` key of its alg, stamped `published: now`, so
 * verifiers' JWKS caches hold it before it signs. Refuses if the alg already has a next key.
 */
export function addNext(ring: KeySet, key: SigningJwk, now: number): KeySet {
  const existing = findKey(ring, key.alg, 'next')
  if (existing) {
    throw new KeyRingError('EXISTS', `${key.alg} already has a next key (${existing.kid})`)
  }
  const after = { keys: [...ring.keys, { ...key, status: 'next' as const, published: now }] }
  assertSafeChange(ring, after)
  return after
}

/**
 * Rotation step 2: the next key of `alg` signs, the current one becomes `retiring` (stamped
 * `retired: now`). Refuses with `TOO_EARLY` until the next key has been published for
 * `PUBLISH_LEAD` seconds, unless forced.
 */
export function promote(ring: KeySet, alg: SigningAlg, options: PromoteOptions): PromoteResult {
  const { now } = options
  const next = findKey(ring, alg, 'next')
  if (!next) throw new KeyRingError('NOT_FOUND', `${alg} has no next key to promote`)
  const current = findKey(ring, alg, 'current')
  const publishedAgo = now - (next.published ?? next.created)
  const warnings: string[] = []
  if (publishedAgo < PUBLISH_LEAD) {
    const wait = PUBLISH_LEAD - publishedAgo
    if (!options.force) {
      throw new KeyRingError(
        'TOO_EARLY',
        `refused: ${alg} next key ${next.kid} was published ${formatDuration(publishedAgo)} ago; ` +
          `it must be published ${formatDuration(PUBLISH_LEAD)} before it signs so every ` +
          `verifier's JWKS cache (max-age ${JWKS_MAX_AGE} s) holds it. Wait ` +
          `${formatDuration(wait)} (until ${new Date((now + wait) * 1000).toISOString()}) ` +
          'and run rotate again, or pass --force.',
      )
    }
    warnings.push(
      `--force: ${next.kid} signs only ${formatDuration(publishedAgo)} after it was published; ` +
        'verifiers holding an older JWKS refuse its tokens until they refetch.',
    )
  }
  const after = {
    keys: ring.keys.map((key): SigningJwk => {
      if (key === next) return { ...key, status: 'current' }
      if (key === current) return { ...key, status: 'retiring', retired: now }
      return key
    }),
  }
  assertSafeChange(ring, after)
  return {
    ring: after,
    promoted: next.kid,
    ...(current ? { retiring: current.kid } : {}),
    warnings,
  }
}
