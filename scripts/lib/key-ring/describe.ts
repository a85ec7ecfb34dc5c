import type { SigningAlg } from '../../../contract/index.ts'
import { PUBLISH_LEAD, SIGNING_ALGS } from '../../../contract/index.ts'
import type { KeySet, SigningJwk } from '../signing-keys.ts'
import { formatDuration } from './timing.ts'

export type StepOptions = {
  /** The clock, epoch seconds. */
  now: number
  /** How long a retiring key stays published after it stopped signing, seconds. */
  keepSeconds: number
}

export type DescribeOptions = StepOptions & {
  /** `SIGNING_ALG`: of the current keys, only this algorithm's signs. */
  signingAlg: SigningAlg
}

/** One line of `keys list`: public facts only. */
export type KeyRow = { kid: string; alg: SigningAlg; status: string; age: string; note: string }

const STATUS_ORDER = ['current', 'next', 'retiring']

/** A row per key, grouped by alg, saying what the key does now and when its phase can end. */
export function describeKeys(ring: KeySet, options: DescribeOptions): KeyRow[] {
  return [...ring.keys]
    .sort(
      (a, b) =>
        SIGNING_ALGS.indexOf(a.alg) - SIGNING_ALGS.indexOf(b.alg) ||
        STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status),
    )
    .map((key) => ({
      kid: key.kid,
      alg: key.alg,
      status: key.status,
      age: formatDuration(options.now - key.created),
      note: note(key, options),
    }))
}

/** The safe steps available now or later, per alg, as `npm run keys --` commands to run. */
export function nextSteps(ring: KeySet, options: StepOptions): string[] {
  return SIGNING_ALGS.flatMap((alg) => stepsFor(ring, alg, options))
}

function stepsFor(ring: KeySet, alg: SigningAlg, { now, keepSeconds }: StepOptions) {
  const keys = ring.keys.filter((key) => key.alg === alg)
  if (keys.length === 0) return []
  const steps: string[] = []
  const next = keys.find((key) => key.status === 'next')
  if (next) {
    const wait = PUBLISH_LEAD - (now - (next.published ?? next.created))
    steps.push(
      wait <= 0
        ? `rotate --alg ${alg}: promote ${next.kid} to current now`
        : `rotate --alg ${alg}: promote ${next.kid} in ${formatDuration(wait)}, not before`,
    )
  } else if (keys.some((key) => key.status === 'current')) {
    steps.push(`rotate --alg ${alg}: publish a next key (step 1 of a rotation), whenever you like`)
  }
  for (const key of keys.filter((k) => k.status === 'retiring')) {
    if (key.retired === undefined) {
      steps.push(`revoke ${key.kid}: retiring with no retired time; drop it by hand when safe`)
      continue
    }
    const wait = keepSeconds - (now - key.retired)
    steps.push(
      wait <= 0
        ? `retire --alg ${alg}: drop ${key.kid} now`
        : `retire --alg ${alg}: drop ${key.kid} in ${formatDuration(wait)}, not before`,
    )
  }
  return steps
}

function note(key: SigningJwk, { now, keepSeconds, signingAlg }: DescribeOptions): string {
  if (key.status === 'current') {
    return key.alg === signingAlg ? 'signs' : `verifies only; signs once SIGNING_ALG is ${key.alg}`
  }
  if (key.status === 'next') {
    const published = now - (key.published ?? key.created)
    const wait = PUBLISH_LEAD - published
    const when = wait <= 0 ? 'may sign now' : `may sign in ${formatDuration(wait)}`
    return `published ${formatDuration(published)} ago, ${when}`
  }
  if (key.retired === undefined) return 'verifies only; retired time unknown'
  const age = now - key.retired
  const wait = keepSeconds - age
  const when = wait <= 0 ? 'can be dropped now' : `can be dropped in ${formatDuration(wait)}`
  return `stopped signing ${formatDuration(age)} ago, ${when}`
}
