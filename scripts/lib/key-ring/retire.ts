import type { SigningAlg } from '../../../contract/index.ts'
import type { KeySet, SigningJwk } from '../signing-keys.ts'
import { assertSafeChange } from './validate.ts'
import { formatDuration } from './timing.ts'

export type RetireOptions = {
  /** The clock, epoch seconds. */
  now: number
  /** How long a retiring key stays published after it stopped signing, seconds. */
  keepSeconds: number
  /** Only retiring keys of these algs are considered. */
  algs: readonly SigningAlg[]
}

export type RetireDecision = { kid: string; alg: SigningAlg; dropped: boolean; reason: string }

export type RetireResult = { ring: KeySet; decisions: RetireDecision[] }

/**
 * Rotation step 3: drops each retiring key whose last token has expired everywhere, that is,
 * which stopped signing at least `keepSeconds` ago. Every retiring key considered gets a decision
 * with its reason; a key with no `retired` time is kept, since its last token cannot be dated.
 */
export function retire(ring: KeySet, options: RetireOptions): RetireResult {
  const decisions = ring.keys
    .filter((key) => key.status === 'retiring' && options.algs.includes(key.alg))
    .map((key) => decide(key, options))
  const dropped = new Set(decisions.filter((d) => d.dropped).map((d) => d.kid))
  const after = { keys: ring.keys.filter((key) => !dropped.has(key.kid)) }
  assertSafeChange(ring, after)
  return { ring: after, decisions }
}

function decide(key: SigningJwk, { now, keepSeconds }: RetireOptions): RetireDecision {
  const base = { kid: key.kid, alg: key.alg }
  if (key.retired === undefined) {
    return {
      ...base,
      dropped: false,
      reason: 'no retired time recorded, so its last token cannot be dated; use revoke to drop it',
    }
  }
  const age = now - key.retired
  const stopped = `stopped signing ${formatDuration(age)} ago`
  const keep = `keep time ${formatDuration(keepSeconds)}`
  if (age >= keepSeconds) return { ...base, dropped: true, reason: `${stopped} (${keep})` }
  const left = formatDuration(keepSeconds - age)
  return {
    ...base,
    dropped: false,
    reason: `${stopped}; its tokens may still be in use for ${left} more (${keep})`,
  }
}
