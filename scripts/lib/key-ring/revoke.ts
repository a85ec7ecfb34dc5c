import type { SigningAlg } from '../../../contract/index.ts'
import { JWKS_MAX_AGE } from '../../../contract/index.ts'
import type { KeySet, SigningJwk } from '../signing-keys.ts'
import { KeyRingError } from './key-ring-error.ts'
import { findKey } from './rotate.ts'
import { assertSafeChange } from './validate.ts'
import { formatDuration } from './timing.ts'

export type RevokeOptions = {
  /** The clock, epoch seconds. */
  now: number
  /** A fresh key of the revoked key's alg; needed only when `replacementNeeded` says so. */
  replacement?: SigningJwk
}

export type RevokeResult = {
  ring: KeySet
  revoked: Pick<SigningJwk, 'kid' | 'alg' | 'status'>
  /** The next key that signs in the revoked key's place. */
  promoted?: string
  /** The replacement key that signs in the revoked key's place. */
  generated?: string
  warnings: string[]
}

/** The alg of a fresh key `revoke` needs: the kid is current and its alg has no next key. */
export function replacementNeeded(ring: KeySet, kid: string): SigningAlg | undefined {
  const key = ring.keys.find((k) => k.kid === kid)
  if (key?.status !== 'current' || findKey(ring, key.alg, 'next')) return undefined
  return key.alg
}

/**
 * Emergency: drops `kid` at once, skipping every waiting period. A revoked current key is
 * replaced by its alg's next key, else by `options.replacement`, so the alg keeps signing.
 */
export function revoke(ring: KeySet, kid: string, options: RevokeOptions): RevokeResult {
  const key = ring.keys.find((k) => k.kid === kid)
  if (!key) throw new KeyRingError('NOT_FOUND', `no key with kid ${kid} in the ring`)
  const revoked = { kid: key.kid, alg: key.alg, status: key.status }
  const rest = ring.keys.filter((k) => k !== key)
  const warnings = key.status === 'next' ? [] : [signedTokensWarning(key)]
  if (key.status !== 'current') {
    return checked(ring, { keys: rest }, { revoked, warnings })
  }
  const next = findKey(ring, key.alg, 'next')
  if (next) {
    const publishedAgo = options.now - (next.published ?? next.created)
    if (publishedAgo < JWKS_MAX_AGE) warnings.push(unseenKeyWarning(next.kid, publishedAgo))
    const keys = rest.map((k): SigningJwk => (k === next ? { ...k, status: 'current' } : k))
    return checked(ring, { keys }, { revoked, promoted: next.kid, warnings })
  }
  const fresh = options.replacement
  if (!fresh || fresh.alg !== key.alg) {
    throw new KeyRingError('UNSAFE', `revoking current key ${kid} needs a new ${key.alg} key`)
  }
  warnings.push(
    `${fresh.kid} was generated just now and signs at once: verifiers with a cached JWKS refuse ` +
      'its tokens until they refetch it (at once on an unknown kid, or when their cache expires).',
  )
  const replacement = { ...fresh, status: 'current' as const, published: options.now }
  const keys = [...rest, replacement]
  return checked(ring, { keys }, { revoked, generated: fresh.kid, warnings })
}

function checked(before: KeySet, after: KeySet, result: Omit<RevokeResult, 'ring'>): RevokeResult {
  assertSafeChange(before, after)
  return { ring: after, ...result }
}

function signedTokensWarning(key: SigningJwk): string {
  return (
    `every token signed by ${key.kid} (${key.alg}, ${key.status}) now fails at the issuer, but ` +
    `verifiers holding a cached JWKS may still accept them until their cache expires ` +
    `(up to ${JWKS_MAX_AGE} s). Sessions stay live: clients get new access tokens at their next ` +
    'refresh.'
  )
}

function unseenKeyWarning(kid: string, publishedAgo: number): string {
  return (
    `${kid} now signs although it was published only ${formatDuration(publishedAgo)} ago: ` +
    'verifiers with an older cached JWKS refuse its tokens until they refetch it.'
  )
}
