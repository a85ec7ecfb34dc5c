import type { SigningAlg } from '../../../contract/index.ts'
import { describe, expect, test } from 'vitest'
import { retire } from '../../../scripts/lib/key-ring/retire.ts'
import { addNext, promote } from '../../../scripts/lib/key-ring/rotate.ts'
import { DEFAULT_TIMING, retiredKeepSeconds } from '../../../scripts/lib/key-ring/timing.ts'
import { T0, firstRing, freshKey, keyOf } from '../helpers/key-ring.ts'

const keepSeconds = retiredKeepSeconds(DEFAULT_TIMING)
const PROMOTED = T0 + 900

async function rotatedRing(...algs: SigningAlg[]) {
  let ring = await firstRing()
  for (const alg of algs) {
    ring = addNext(ring, await freshKey(alg, 'next'), T0)
    ring = promote(ring, alg, { now: PROMOTED }).ring
  }
  return ring
}

describe('rotation step 3: retiring keys whose tokens have expired', () => {
  test('keeps a key for token lifetime + leeway + JWKS cache lifetime (1230 s)', async () => {
    expect(keepSeconds).toBe(900 + 30 + 300)
    const ring = await rotatedRing('ES256')
    const retiring = keyOf(ring, 'ES256', 'retiring')
    const early = retire(ring, { now: PROMOTED + keepSeconds - 1, keepSeconds, algs: ['ES256'] })
    expect(early.ring).toEqual(ring)
    expect(early.decisions).toEqual([
      {
        kid: retiring.kid,
        alg: 'ES256',
        dropped: false,
        reason: expect.stringMatching(/in use for 1s more/),
      },
    ])
  })

  test('drops the key once the keep time has passed', async () => {
    const ring = await rotatedRing('ES256')
    const retiring = keyOf(ring, 'ES256', 'retiring')
    const result = retire(ring, { now: PROMOTED + keepSeconds, keepSeconds, algs: ['ES256'] })
    expect(result.decisions).toMatchObject([{ kid: retiring.kid, dropped: true }])
    expect(result.ring.keys.map((key) => key.kid)).not.toContain(retiring.kid)
    expect(result.ring.keys).toHaveLength(3)
  })

  test('leaves retiring keys of other algs alone', async () => {
    const ring = await rotatedRing('ES256', 'EdDSA')
    const result = retire(ring, { now: PROMOTED + keepSeconds, keepSeconds, algs: ['EdDSA'] })
    expect(result.decisions.map((decision) => decision.alg)).toEqual(['EdDSA'])
    expect(keyOf(result.ring, 'ES256', 'retiring')).toBeDefined()
  })

  test('keeps a key with no retired time: its last token cannot be dated', async () => {
    const ring = await rotatedRing('ES256')
    const { retired: _retired, ...undated } = keyOf(ring, 'ES256', 'retiring')
    const keys = ring.keys.map((key) => (key.status === 'retiring' ? undated : key))
    const result = retire({ keys }, { now: T0 + 10 ** 6, keepSeconds, algs: ['ES256'] })
    expect(result.decisions).toMatchObject([{ dropped: false, reason: /use revoke/ }])
  })

  test('a ring without retiring keys is left as it is', async () => {
    const ring = await firstRing()
    expect(retire(ring, { now: T0, keepSeconds, algs: ['ES256'] })).toEqual({ ring, decisions: [] })
  })
})
