export type FeedCacheOptions<T> = {
  /** Builds the value as of `now` (ms). It must resolve to plain data, never an I/O object. */
  build: (now: number) => Promise<T>
  /** Milliseconds a built value is served before the next request builds again. */
  maxAgeMs: number
  now: () => number
  /** Keeps the building request alive until the build settles (`waitUntil`). */
  keepAlive?: (task: Promise<unknown>) => void
  /** A timer of the calling request's own. @default setTimeout */
  wait?: (ms: number) => Promise<void>
}

export type FeedCache<T> = {
  /** The value built at most `maxAgeMs` ago, or one build shared by every caller meanwhile. */
  get(): Promise<T>
  /** Drops the value: builds started before this are served to their callers, never kept. */
  invalidate(): void
}

type Built<T> = { value: T; at: number; generation: number }
type Flight = { at: number; generation: number }

/** How often a request waiting for another's build looks whether it is done. */
const JOIN_POLL_MS = 10

/**
 * A per-isolate cache of one value with single flight: callers within `maxAgeMs` share one build,
 * so an isolate builds at most once per `maxAgeMs`, plus once per `invalidate()`.
 *
 * A request never awaits the promise of a build another request started. Workers tie I/O to the
 * request that made it, and following another request's pending promise was measured to hand
 * about 1 % of responses to the wrong request ("Cannot perform I/O on behalf of a different
 * request", bench/feed-issuer.ts under 16 connections); a promise the other request resolves
 * instead leaves the waiter with no I/O of its own, which workerd cancels as hung. So a joiner
 * waits on its own timer and reads the plain value the build left behind, and builds itself if
 * that build failed, was overtaken by a revocation, or is still running after `maxAgeMs`.
 */
export function createFeedCache<T>(options: FeedCacheOptions<T>): FeedCache<T> {
  const { maxAgeMs } = options
  const wait = options.wait ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  let generation = 0
  let held: Built<T> | undefined
  let flight: Flight | undefined
  // A clock that went back counts as expired, never as forever fresh.
  const fresh = (entry: { at: number; generation: number }, now: number) =>
    entry.generation === generation && now >= entry.at && now - entry.at < maxAgeMs

  async function build(now: number): Promise<T> {
    const started: Flight = { at: now, generation }
    flight = started
    const building = options.build(now)
    options.keepAlive?.(building.catch(() => undefined))
    try {
      const value = await building
      // A build that a revocation overtook is answered to its caller but never kept.
      if (started.generation === generation && (!held || held.at <= started.at)) {
        held = { value, at: started.at, generation: started.generation }
      }
      return value
    } finally {
      if (flight === started) flight = undefined
    }
  }

  return {
    async get() {
      const now = options.now()
      if (held && fresh(held, now)) return held.value
      const joined = flight
      if (joined && fresh(joined, now)) {
        for (let waited = 0; flight === joined && waited < maxAgeMs; waited += JOIN_POLL_MS) {
          await wait(JOIN_POLL_MS)
        }
        if (held && held.generation === generation && held.at >= joined.at) return held.value
      }
      return build(options.now())
    },
    invalidate() {
      generation++
      held = undefined
    },
  }
}
