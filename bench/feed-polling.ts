import { createFeedCache } from '../worker/feed/feed-cache.ts'
import { FEED_MAX_AGE } from '../worker/feed/revocation-feed.ts'

/** What verifiers polling the feed cost the issuer, simulated over the issuer's own cache code. */
export type PollingCost = {
  verifiers: number
  issuerIsolates: number
  requestsPerSecond: number
  /** Feed builds per second, each one D1 round trip. */
  d1ReadsPerSecond: number
  /** Share of requests answered 304 (the verifier held the current ETag). */
  notModified: number
  /** Body bytes per second: 200s carry the feed, 304s nothing. */
  bytesPerSecond: number
  /** The same if verifiers never sent If-None-Match. */
  bytesWithout304: number
}

export type PollingOptions = {
  verifiers: number
  issuerIsolates: number
  /** Revocations per second, issuer-wide, each served by a random isolate. */
  revocationsPerSecond: number
  feedBytes: number
  /** @default 5 (the verifier's default feedInterval) */
  pollSeconds?: number
  /** @default 60 (REVOCATION_FEED_RESIGN) */
  resignSeconds?: number
  /** Simulated seconds measured, after `warmupSeconds`. @default 300 */
  seconds?: number
  warmupSeconds?: number
}

type Feed = { seq: number; etag: string }

/**
 * Each verifier isolate polls every `pollSeconds` from a random phase, with the ETag it holds,
 * and lands on a random issuer isolate. Each issuer isolate runs the real `createFeedCache`
 * (1 s, single flight, dropped on a revocation it served) on a simulated clock; a build reads the
 * sequence number, and the ETag moves with it and with the re-sign interval, as the issuer's does.
 * Revocations arrive as a Poisson process. Seeded, so every run simulates the same traffic.
 */
export async function simulatePolling(options: PollingOptions): Promise<PollingCost> {
  const poll = (options.pollSeconds ?? 5) * 1000
  const resign = (options.resignSeconds ?? 60) * 1000
  const warmup = (options.warmupSeconds ?? 60) * 1000
  const end = warmup + (options.seconds ?? 300) * 1000
  const random = seeded(options.verifiers * 7919 + options.issuerIsolates)
  let now = 0
  let seq = 0
  let builds = 0
  const isolates = Array.from({ length: options.issuerIsolates }, () =>
    createFeedCache<Feed>({
      maxAgeMs: FEED_MAX_AGE * 1000,
      now: () => now,
      async build(at) {
        if (at >= warmup) builds++
        return { seq, etag: `${seq}.${Math.floor(at / resign)}` }
      },
    }),
  )
  const pick = () => isolates[Math.floor(random() * isolates.length)]!
  // Events in time order: each verifier's next poll, and the next revocation.
  const held: (string | undefined)[] = Array(options.verifiers).fill(undefined)
  const nextPoll = Array.from({ length: options.verifiers }, () => random() * poll)
  const queue = new MinQueue(nextPoll.map((at, verifier) => ({ at, verifier })))
  const gap = () => (-Math.log(1 - random()) / options.revocationsPerSecond) * 1000
  let nextRevocation = options.revocationsPerSecond > 0 ? gap() : Infinity
  let requests = 0
  let notModified = 0
  for (;;) {
    const next = queue.peek()!
    if (nextRevocation < next.at) {
      now = nextRevocation
      seq++
      pick().invalidate()
      nextRevocation += gap()
      continue
    }
    if (next.at >= end) break
    now = next.at
    queue.pop()
    const feed = await pick().get()
    if (now >= warmup) {
      requests++
      if (held[next.verifier] === feed.etag) notModified++
    }
    held[next.verifier] = feed.etag
    queue.push({ at: now + poll, verifier: next.verifier })
  }
  const seconds = (end - warmup) / 1000
  const full = requests - notModified
  return {
    verifiers: options.verifiers,
    issuerIsolates: options.issuerIsolates,
    requestsPerSecond: requests / seconds,
    d1ReadsPerSecond: builds / seconds,
    notModified: requests === 0 ? 0 : notModified / requests,
    bytesPerSecond: (full * options.feedBytes) / seconds,
    bytesWithout304: (requests * options.feedBytes) / seconds,
  }
}

function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Poll = { at: number; verifier: number }

/** A binary heap of polls by time. */
class MinQueue {
  private readonly items: Poll[] = []
  constructor(items: Poll[]) {
    for (const item of items) this.push(item)
  }
  peek(): Poll | undefined {
    return this.items[0]
  }
  push(item: Poll): void {
    const items = this.items
    items.push(item)
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (items[parent]!.at <= items[i]!.at) break
      ;[items[parent], items[i]] = [items[i]!, items[parent]!]
      i = parent
    }
  }
  pop(): Poll | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()!
    if (items.length > 0) {
      items[0] = last
      let i = 0
      for (;;) {
        const [l, r] = [2 * i + 1, 2 * i + 2]
        let least = i
        if (l < items.length && items[l]!.at < items[least]!.at) least = l
        if (r < items.length && items[r]!.at < items[least]!.at) least = r
        if (least === i) break
        ;[items[least], items[i]] = [items[i]!, items[least]!]
        i = least
      }
    }
    return top
  }
}
