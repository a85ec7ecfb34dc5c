export type FeedCacheOptions<T> = {
  /** Builds the value as of `now` (ms). It must resolve to plain data, never an I/O object. */
  build: (now: number) => Promise<T>
  /** Milliseconds a built value is served before the next request builds again. */
  maxAgeMs: number
  now: () => number
  /** Keeps the building request alive until the build settles (`waitUntil`). */
  keepAlive?: (task: Promise<unknown>) => void
}

export type FeedCache<T> = {
  /** The value built at most `maxAgeMs` ago, or a build shared by every caller meanwhile. */
  get(): Promise<T>
  /** Drops the value: builds started before this are served to their callers, never kept. */
  invalidate(): void
}

type Built<T> = { value: T; at: number; generation: number }
type Flight<T> = { promise: Promise<T>; at: number; generation: number }

/**
 * A per-isolate cache of one value with single flight: concurrent callers within `maxAgeMs` share
 * one build, so an isolate builds at most once per `maxAgeMs` plus once per `invalidate()`.
 * Callers share only the promise of a plain value: Workers refuse one request's streams or
 * responses in another, and the build is kept alive past its own request by `keepAlive`.
 */
export function createFeedCache<T>(options: FeedCacheOptions<T>): FeedCache<T> {
  const { maxAgeMs } = options
  let generation = 0
  let held: Built<T> | undefined
  let flight: Flight<T> | undefined
  // A clock that went back counts as expired, never as forever fresh.
  const fresh = (entry: { at: number; generation: number }, now: number) =>
    entry.generation === generation && now >= entry.at && now - entry.at < maxAgeMs

  return {
    get() {
      const now = options.now()
      if (held && fresh(held, now)) return Promise.resolve(held.value)
      if (flight && fresh(flight, now)) return flight.promise
      const started: Flight<T> = { promise: undefined!, at: now, generation }
      started.promise = options.build(now).then(
        (value) => {
          // A build that a revocation overtook is answered to its callers but never kept.
          if (started.generation === generation && (!held || held.at <= started.at)) {
            held = { value, at: started.at, generation: started.generation }
          }
          if (flight === started) flight = undefined
          return value
        },
        (error: unknown) => {
          if (flight === started) flight = undefined
          throw error
        },
      )
      flight = started
      options.keepAlive?.(started.promise.catch(() => undefined))
      return started.promise
    },
    invalidate() {
      generation++
      held = undefined
    },
  }
}
