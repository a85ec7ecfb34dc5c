import { connectHeapReader } from './inspector.ts'
import { rssBytes } from './proc.ts'
import { median } from './stats.ts'
import type { Driver } from './driver.ts'
import type { HeapReader } from './inspector.ts'
import type { LoadSpec } from './load-protocol.ts'

export type MemoryWindow = { first: number; last: number; growth: number; growthPct: number }

export type SoakResult = {
  seconds: number
  requests: number[]
  /** workerd resident set (every worker plus D1): median of the first and last windows, bytes. */
  rss: MemoryWindow
  /** Per worker: V8 heap retained after a full GC, first and last collection, bytes. */
  heap: Record<string, MemoryWindow> | undefined
  /** Once a second: RSS and heap in use (garbage included). */
  samples: { at: number; rss: number; heap: Record<string, number> }[]
  /** Every few seconds: heap right after a full GC, per worker. */
  collected: { at: number; heap: Record<string, number> }[]
}

/**
 * Constant load (the specs, concurrently) for `seconds`, sampling RSS and heap in use once a
 * second, and the retained heap (after a forced full GC) every max(10 s, a sixth of the run)
 * (a quarter in soaks under a minute), starting there (caches filled, code compiled), and once more just before the end. Each forced
 * GC is a heap snapshot: it pauses the worker briefly, and its buffers stay in workerd's RSS, so
 * RSS is compared between the first and the last interval between two collections, where the
 * snapshots' share is alike.
 */
export async function runSoak(options: {
  driver: Driver
  workerdPid: number
  inspectorPort: number
  workers: string[]
  specs: LoadSpec[]
}): Promise<SoakResult> {
  const seconds = Math.max(...options.specs.map((spec) => spec.duration))
  const every = seconds >= 60 ? Math.max(10, seconds / 6) : seconds / 4
  const end = seconds - 1.5
  const connected = await Promise.all(
    options.workers.map(
      async (name) => [name, await connectHeapReader(options.inspectorPort, name)] as const,
    ),
  )
  const readers = connected.filter((entry): entry is [string, HeapReader] => entry[1] !== undefined)
  const each = async (read: (reader: HeapReader) => Promise<{ usedBytes: number }>) =>
    Object.fromEntries(
      await Promise.all(readers.map(async ([name, r]) => [name, (await read(r)).usedBytes])),
    )
  const result: Pick<SoakResult, 'samples' | 'collected'> = { samples: [], collected: [] }
  const start = performance.now()
  const elapsed = () => (performance.now() - start) / 1000
  let running = true
  const sampling = (async () => {
    let nextCollect = Math.min(every, end)
    while (running) {
      const at = elapsed()
      result.samples.push({
        at,
        rss: rssBytes(options.workerdPid),
        heap: await each((r) => r.read()),
      })
      if (at >= nextCollect) {
        result.collected.push({ at, heap: await each((r) => r.collect()) })
        nextCollect = nextCollect >= end ? Infinity : Math.min(nextCollect + every, end)
      }
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  })()
  const loads = await options.driver.runTogether(options.specs)
  running = false
  await sampling
  readers.forEach(([, reader]) => reader.close())

  const { collected, samples } = result
  const [first, last] = [collected[0], collected[collected.length - 1]]
  const between = (from = Infinity, to = Infinity) =>
    median(samples.filter((s) => s.at > from && s.at < to).map((s) => s.rss))
  return {
    seconds,
    requests: loads.map((load) => load.ok),
    rss: windowOf(
      between(first?.at, collected[1]?.at),
      between(collected[collected.length - 2]?.at),
    ),
    heap:
      readers.length === options.workers.length && first && last && first !== last
        ? Object.fromEntries(
            readers.map(([name]) => [name, windowOf(first.heap[name]!, last.heap[name]!)]),
          )
        : undefined,
    ...result,
  }
}

function windowOf(first: number, last: number): MemoryWindow {
  return { first, last, growth: last - first, growthPct: ((last - first) / first) * 100 }
}
