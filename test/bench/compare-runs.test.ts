import { describe, expect, test } from 'vitest'
import { compareRuns } from '../../bench/compare-runs.ts'
import type { SavedRun } from '../../bench/compare-runs.ts'

const spread = (median: number, min: number, max: number) => ({ median, min, max })

function run(
  commit: string,
  cells: [key: string, rps: [number, number, number], cpu: [number, number, number]][],
  targets: SavedRun['targets'] = [],
  refreshTrips = 1,
): SavedRun {
  return {
    meta: { date: '2026-11-22T00:00:00.000Z', commit, dirty: false },
    cells: cells.map(([key, rps, cpu]) => ({
      key,
      label: key,
      connections: 16,
      rps: spread(...rps),
      cpuUsPerRequest: spread(...cpu),
    })),
    roundTrips: { login: 2, authed: 1, refresh: refreshTrips, logout: 1 },
    targets,
  }
}

describe('comparing two bench runs', () => {
  test('a change whose ranges do not overlap is beyond the spread; one that overlaps is not', () => {
    const before = run('aaa', [
      ['issuer.refresh', [450, 440, 470], [2000, 1950, 2100]],
      ['issuer.bare', [12000, 9000, 15000], [80, 70, 100]],
    ])
    const after = run('bbb', [
      ['issuer.refresh', [770, 600, 790], [1270, 1200, 1500]],
      ['issuer.bare', [14000, 11000, 16000], [75, 65, 90]],
    ])
    const { figures } = compareRuns(before, after)
    const refresh = figures.find((f) => f.label === 'issuer.refresh')!
    expect(refresh.rps.change).toBeCloseTo(770 / 450 - 1)
    expect(refresh.cpuUs.change).toBeCloseTo(1270 / 2000 - 1)
    expect(refresh.beyondSpread).toBe(true)
    expect(figures.find((f) => f.label === 'issuer.bare')!.beyondSpread).toBe(false)
  })

  test('routes in one run only, changed round trips and flipped targets are reported', () => {
    const target = (id: string | undefined, name: string, measured: string, pass: boolean) => ({
      ...(id ? { id } : {}),
      name,
      measured,
      goal: '≥ 0.85×',
      pass,
    })
    const before = run(
      'aaa',
      [['verify.bare', [16000, 15000, 17000], [60, 55, 65]]],
      [
        target('verify.unique.ES256@16', 'unique vs 1/(bare + 61 µs verify)', '0.60×', false),
        target(undefined, 'D1 round trips: refresh', '1', true),
      ],
    )
    const after = run(
      'bbb',
      [
        ['verify.bare', [16500, 15500, 17500], [59, 54, 64]],
        ['issuer.trpc-floor', [4000, 3800, 4200], [250, 240, 260]],
      ],
      [
        target('verify.unique.ES256@16', 'unique vs 1/(bare + 54 µs verify)', '0.88×', true),
        target('round-trips.refresh', 'D1 round trips: refresh', '2', false),
      ],
      2,
    )
    const comparison = compareRuns(before, after)
    expect(comparison.unmatched).toEqual(['issuer.trpc-floor c16'])
    expect(comparison.roundTrips).toEqual([{ operation: 'refresh', before: 1, after: 2 }])
    expect(comparison.flipped).toEqual([
      {
        name: 'unique vs 1/(bare + 54 µs verify)',
        before: '0.60×',
        after: '0.88×',
        pass: true,
      },
      // A file written before targets had ids: matched by name.
      { name: 'D1 round trips: refresh', before: '1', after: '2', pass: false },
    ])
  })
})
