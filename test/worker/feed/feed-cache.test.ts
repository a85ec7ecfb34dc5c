import { describe, expect, test } from 'vitest'
import { createFeedCache } from '../../../worker/feed/feed-cache.ts'

/** A cache over builds the test settles by hand, on a clock the test moves. */
function harness(maxAgeMs = 1000) {
  let now = 0
  const builds: { at: number; resolve: (value: string) => void; reject: (e: Error) => void }[] = []
  const cache = createFeedCache<string>({
    maxAgeMs,
    now: () => now,
    build: (at) =>
      new Promise<string>((resolve, reject) => void builds.push({ at, resolve, reject })),
    // Waiting requests poll on a zero timer: fast, and still a timer of their own.
    wait: () => new Promise((resolve) => setTimeout(resolve, 0)),
  })
  return { cache, builds, advance: (ms: number) => void (now += ms) }
}

describe('the per-isolate feed cache', () => {
  test('concurrent requests share one build, and its value serves for the rest of the second', async () => {
    const { cache, builds, advance } = harness()
    const waiting = [cache.get(), cache.get(), cache.get()]
    expect(builds).toHaveLength(1)
    builds[0]!.resolve('feed 1')
    expect(await Promise.all(waiting)).toEqual(['feed 1', 'feed 1', 'feed 1'])
    advance(999)
    expect(await cache.get()).toBe('feed 1')
    expect(builds).toHaveLength(1)
    advance(1)
    const next = cache.get()
    expect(builds).toHaveLength(2)
    builds[1]!.resolve('feed 2')
    expect(await next).toBe('feed 2')
  })

  test('a revocation drops the value at once: the next request builds', async () => {
    const { cache, builds } = harness()
    const first = cache.get()
    builds[0]!.resolve('before')
    await first
    cache.invalidate()
    const after = cache.get()
    expect(builds).toHaveLength(2)
    builds[1]!.resolve('after')
    expect(await after).toBe('after')
  })

  test('a build a revocation overtook answers its caller but is never kept', async () => {
    const { cache, builds } = harness()
    const early = cache.get()
    cache.invalidate()
    // A request after the revocation does not wait for the build that started before it.
    const late = cache.get()
    expect(builds).toHaveLength(2)
    builds[0]!.resolve('stale')
    builds[1]!.resolve('fresh')
    expect([await early, await late]).toEqual(['stale', 'fresh'])
    expect(await cache.get()).toBe('fresh')
    expect(builds).toHaveLength(2)
  })

  test('a request waiting on a build a revocation overtook builds again', async () => {
    const { cache, builds } = harness()
    const early = cache.get()
    const waiting = cache.get()
    cache.invalidate()
    builds[0]!.resolve('stale')
    expect(await early).toBe('stale')
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(builds).toHaveLength(2)
    builds[1]!.resolve('fresh')
    expect(await waiting).toBe('fresh')
  })

  test('a build older than the second is not joined: nobody is served an older feed', async () => {
    const { cache, builds, advance } = harness()
    const slow = cache.get()
    advance(1000)
    const later = cache.get()
    expect(builds.map((build) => build.at)).toEqual([0, 1000])
    builds[1]!.resolve('newer')
    builds[0]!.resolve('older')
    expect([await slow, await later]).toEqual(['older', 'newer'])
    // The older build settling last does not replace the newer value.
    expect(await cache.get()).toBe('newer')
  })

  test('a failed build fails its own request, is not kept, and a waiting request tries again', async () => {
    const { cache, builds } = harness()
    const failing = cache.get()
    const waiting = cache.get()
    builds[0]!.reject(new Error('D1 unavailable'))
    await expect(failing).rejects.toThrow('D1 unavailable')
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(builds).toHaveLength(2)
    builds[1]!.resolve('recovered')
    expect(await waiting).toBe('recovered')
  })

  test('a build that never settles holds a waiting request no longer than maxAgeMs of polls', async () => {
    const { cache, builds } = harness(50)
    void cache.get()
    const waiting = cache.get()
    while (builds.length < 2) await new Promise((resolve) => setTimeout(resolve, 1))
    builds[1]!.resolve('built by the waiting request')
    expect(await waiting).toBe('built by the waiting request')
  })

  test('a clock that went back does not keep a value fresh', async () => {
    const { cache, builds, advance } = harness()
    advance(5000)
    const first = cache.get()
    builds[0]!.resolve('at 5 s')
    await first
    advance(-2000)
    void cache.get()
    expect(builds).toHaveLength(2)
  })
})
