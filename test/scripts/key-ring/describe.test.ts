import { describe, expect, test } from 'vitest'
import { describeKeys, nextSteps } from '../../../scripts/lib/key-ring/describe.ts'
import { addNext, promote } from '../../../scripts/lib/key-ring/rotate.ts'
import { formatDuration } from '../../../scripts/lib/key-ring/timing.ts'
import { T0, firstRing, freshKey } from '../helpers/key-ring.ts'

const keepSeconds = 1230

describe('describing a ring for people', () => {
  test.each([
    [0, '0s'],
    [59, '59s'],
    [900, '15m 0s'],
    [7380, '2h 3m'],
    [90_000, '1d 1h'],
  ])('%i seconds read as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text)
  })

  test('a first ring: only SIGNING_ALG’s current key signs; a rotation can start whenever', async () => {
    const ring = await firstRing()
    const rows = describeKeys(ring, { now: T0 + 60, keepSeconds, signingAlg: 'ES256' })
    expect(rows.map(({ alg, status, age, note }) => [alg, status, age, note])).toEqual([
      ['ES256', 'current', '1m 0s', 'signs'],
      ['EdDSA', 'current', '1m 0s', 'verifies only; signs once SIGNING_ALG is EdDSA'],
      ['RS256', 'current', '1m 0s', 'verifies only; signs once SIGNING_ALG is RS256'],
    ])
    const eddsa = describeKeys(ring, { now: T0 + 60, keepSeconds, signingAlg: 'EdDSA' })
    expect(eddsa.filter((row) => row.note === 'signs').map((row) => row.alg)).toEqual(['EdDSA'])
    expect(nextSteps(ring, { now: T0, keepSeconds })).toEqual([
      'rotate --alg ES256: publish a next key (step 1 of a rotation), whenever you like',
      'rotate --alg EdDSA: publish a next key (step 1 of a rotation), whenever you like',
      'rotate --alg RS256: publish a next key (step 1 of a rotation), whenever you like',
    ])
  })

  test('mid-rotation: when the next key may sign, and when the retiring key may go', async () => {
    const added = addNext(await firstRing(), await freshKey('ES256', 'next'), T0)
    const early = { now: T0 + 300, keepSeconds, signingAlg: 'ES256' } as const
    expect(describeKeys(added, early)[1]).toMatchObject({
      status: 'next',
      note: 'published 5m 0s ago, may sign in 10m 0s',
    })
    expect(nextSteps(added, early)[0]).toMatch(/^rotate --alg ES256: promote .* in 10m 0s/)
    expect(nextSteps(added, { now: T0 + 900, keepSeconds })[0]).toMatch(/to current now$/)

    const { ring } = promote(added, 'ES256', { now: T0 + 900 })
    const later = { now: T0 + 1000, keepSeconds, signingAlg: 'ES256' } as const
    expect(describeKeys(ring, later)[1]).toMatchObject({
      status: 'retiring',
      note: 'stopped signing 1m 40s ago, can be dropped in 18m 50s',
    })
    expect(nextSteps(ring, later)[1]).toMatch(/^retire --alg ES256: drop .* in 18m 50s/)
    expect(nextSteps(ring, { now: T0 + 900 + keepSeconds, keepSeconds })[1]).toMatch(/now$/)
  })
})
