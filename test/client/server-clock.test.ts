import { describe, expect, test } from 'vitest'
import { createServerClock } from '../../client/server-clock.ts'

function clockAt(deviceNow: { value: number }, skewWarning = 60) {
  const skews: number[] = []
  const clock = createServerClock({
    now: () => deviceNow.value,
    skewWarning,
    onSkew: (offset) => skews.push(offset),
  })
  return { clock, skews }
}

describe('server clock', () => {
  test('before any observation it is the device clock', () => {
    const { clock } = clockAt({ value: 1_000_000 })
    expect(clock.now()).toBe(1_000_000)
    expect(clock.offset()).toBe(0)
  })

  test("learns the offset from a whole-second timestamp against the round trip's middle", () => {
    const device = { value: 5_000_000 }
    const { clock } = clockAt(device)
    // Server second 8000 (8000.0–8000.999 s) seen by a request from 4_999_800 to 5_000_200 ms.
    clock.observeSeconds(8000, { sentAt: 4_999_800, receivedAt: 5_000_200 })
    expect(clock.offset()).toBe(8_000_500 - 5_000_000)
    device.value += 10_000
    expect(clock.now()).toBe(8_010_500)
  })

  test('reads an HTTP Date header and ignores a missing or malformed one', () => {
    const { clock } = clockAt({ value: 0 })
    clock.observeDate(null, { sentAt: 0, receivedAt: 0 })
    clock.observeDate('not a date', { sentAt: 0, receivedAt: 0 })
    expect(clock.offset()).toBe(0)
    clock.observeDate('Tue, 01 Jan 2030 12:00:00 GMT', { sentAt: 0, receivedAt: 0 })
    expect(clock.offset()).toBe(Date.UTC(2030, 0, 1, 12) + 500)
  })

  test('reports a large skew once per crossing of the threshold', () => {
    const { clock, skews } = clockAt({ value: 0 }, 60)
    clock.adopt(30_000)
    clock.adopt(-3_600_000)
    clock.adopt(-3_600_400)
    clock.adopt(1_000)
    clock.adopt(120_000)
    expect(skews).toEqual([-3600, 120])
  })
})
