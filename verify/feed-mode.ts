import {
  MAX_ACCESS_TOKEN_LIFETIME,
  MAX_REVOCATION_LIST_BYTES,
  ROUTES,
  RotorError,
  isIndexRevoked,
  issuerUrl,
} from '../contract/index.ts'
import { createFeedState } from './feed-state.ts'
import type { AccessTokenClaims } from '../contract/index.ts'
import type { AccessTokenKeys } from './access-token.ts'
import type { WaitUntil } from './feed-state.ts'
import type { IssuerFetcher } from './remote-keys.ts'

/**
 * What `requireAuth` uses in feed mode where its options are silent, in seconds. A healthy
 * verifier's feed is at most 60 (the issuer re-signs at least that often) + 1 (its feed cache)
 * + 5 (`feedInterval`) + 2 (`feedTimeout`) = 68 s old by the issuer's clock, and clocks may differ
 * by the 30 s `clockSkewLeeway`: 98 s. `maxStaleness` 120 leaves 22 s (four refreshes) to spare,
 * so only an outage of at least about a minute fails closed, and then within 2 minutes.
 */
export const FEED_DEFAULTS = {
  feedInterval: 5,
  maxStaleness: 120,
  feedTimeout: 2,
  staleFeed: 'refuse',
} as const

export type FeedSettings = {
  feedInterval: number
  maxStaleness: number
  feedTimeout: number
  staleFeed: 'refuse' | 'stateless'
}

/** Checks a verified token against the feed; throws `SESSION_REVOKED`, `TOKEN_INVALID` or 503. */
export type FeedCheck = (
  claims: AccessTokenClaims,
  nowMs: number,
  waitUntil: WaitUntil | undefined,
) => Promise<void>

// No index past the largest list a feed may hold: such a session could never be listed.
const MAX_STATUS_INDEX = MAX_REVOCATION_LIST_BYTES * 8

/** The feed options, checked once at construction; a bad one throws naming it. */
export function validateFeedOptions(options: {
  feedInterval?: number
  maxStaleness?: number
  feedTimeout?: number
  staleFeed?: string
}): FeedSettings {
  const feedInterval = options.feedInterval ?? FEED_DEFAULTS.feedInterval
  if (!Number.isInteger(feedInterval) || feedInterval < 1 || feedInterval > 300) {
    throw new TypeError('requireAuth: feedInterval must be 1 to 300 seconds')
  }
  const maxStaleness = options.maxStaleness ?? FEED_DEFAULTS.maxStaleness
  if (
    !Number.isInteger(maxStaleness) ||
    maxStaleness <= feedInterval ||
    maxStaleness > MAX_ACCESS_TOKEN_LIFETIME
  ) {
    throw new TypeError(
      `requireAuth: maxStaleness must be more than feedInterval and at most ${MAX_ACCESS_TOKEN_LIFETIME} seconds`,
    )
  }
  const feedTimeout = options.feedTimeout ?? FEED_DEFAULTS.feedTimeout
  if (typeof feedTimeout !== 'number' || !(feedTimeout > 0) || feedTimeout > 30) {
    throw new TypeError('requireAuth: feedTimeout must be more than 0 and at most 30 seconds')
  }
  const staleFeed = options.staleFeed ?? FEED_DEFAULTS.staleFeed
  if (staleFeed !== 'refuse' && staleFeed !== 'stateless') {
    throw new TypeError("requireAuth: staleFeed must be 'refuse' or 'stateless'")
  }
  return { feedInterval, maxStaleness, feedTimeout, staleFeed }
}

/**
 * Feed mode's check, with this verifier's per-isolate feed from
 * `issuerUrl(issuer, ROUTES.revocationFeed)`: the only feed URL a token may name, and the only
 * one ever fetched.
 */
export function createFeedCheck(options: {
  issuer: string
  via: IssuerFetcher | undefined
  keys: AccessTokenKeys
  clockSkewLeeway: number
  settings: FeedSettings
}): FeedCheck {
  const { issuer, via, keys, clockSkewLeeway, settings } = options
  const url = issuerUrl(issuer, ROUTES.revocationFeed)
  const state = createFeedState(
    { issuer, url, via, keys, clockSkewLeeway, timeoutMs: settings.feedTimeout * 1000 },
    {
      intervalMs: settings.feedInterval * 1000,
      maxStaleness: settings.maxStaleness,
      staleFeed: settings.staleFeed,
      retryAfter: settings.feedInterval,
    },
  )
  return async (claims, nowMs, waitUntil) => {
    const idx = statusIndex(claims, url)
    const list = await state.currentList(nowMs, waitUntil)
    if (list && isIndexRevoked(list, idx)) {
      throw new RotorError('SESSION_REVOKED', 'This session is no longer valid')
    }
  }
}

/** The token's index in the feed at `url`; a token naming none, or another feed, is refused. */
function statusIndex(claims: AccessTokenClaims, url: string): number {
  const status: unknown = claims.status
  if (status === undefined) {
    // Issued before the feed existed: a refresh gets a token that names its index.
    throw new RotorError('TOKEN_INVALID', 'This access token has no status claim; refresh it')
  }
  const list: unknown =
    typeof status === 'object' && status ? Reflect.get(status, 'status_list') : 0
  const { idx, uri } = (typeof list === 'object' && list ? list : {}) as Record<string, unknown>
  if (!Number.isSafeInteger(idx) || (idx as number) < 0 || (idx as number) >= MAX_STATUS_INDEX) {
    throw new RotorError('TOKEN_INVALID', 'The access token status claim is not valid')
  }
  if (uri !== url) {
    throw new RotorError('TOKEN_INVALID', 'The access token names another revocation feed')
  }
  return idx as number
}
