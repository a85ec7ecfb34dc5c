import { revokedTokenWindow } from '../tokens/access-token.ts'
import { createFeedCache } from './feed-cache.ts'
import { signRevocationFeed } from './sign-feed.ts'
import { encodeStatusList } from './status-list.ts'
import type { Config } from '../config/config.ts'
import type { KeyRing } from '../keys/key-ring.ts'
import type { SessionStore } from '../store/session-store.ts'
import type { FeedTiming, SignedFeed } from './sign-feed.ts'

/** Seconds a built feed is served per isolate: its `Cache-Control: max-age` too. */
export const FEED_MAX_AGE = 1

/** The issuer's revocation feed (README: Revocation feed), built at most once a second per isolate. */
export type RevocationFeed = {
  /** The signed feed, built at most `FEED_MAX_AGE` ago in this isolate, or now. */
  current(): Promise<SignedFeed>
  /** A session was revoked in this isolate: the next request builds the feed afresh. */
  invalidate(): void
}

export type RevocationFeedOptions = {
  store: Pick<SessionStore, 'readRevocationFeed'>
  keys: KeyRing
  config: Pick<Config, 'issuer' | 'accessTokenTtl' | 'revocationFeedResign'>
  now: () => number
  defer?: (task: Promise<unknown>) => void
}

/** The feed lists every revocation whose tokens may still verify somewhere (`revokedTokenWindow`). */
export function feedTiming(
  config: Pick<Config, 'accessTokenTtl' | 'revocationFeedResign'>,
): FeedTiming {
  return { window: revokedTokenWindow(config), resign: config.revocationFeedResign }
}

/** The feed of one issuer: one D1 round trip, one deflate and one signature per build. */
export function createRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  const { store, keys, config } = options
  const timing = feedTiming(config)
  const cache = createFeedCache<SignedFeed>({
    maxAgeMs: FEED_MAX_AGE * 1000,
    now: options.now,
    keepAlive: options.defer,
    async build(now) {
      const { seq, indexes } = await store.readRevocationFeed(now - timing.window * 1000)
      const list = await encodeStatusList(indexes)
      return signRevocationFeed(keys, { issuer: config.issuer, timing }, { seq, list, now })
    },
  })
  return { current: () => cache.get(), invalidate: () => cache.invalidate() }
}
