import type { AccessTokenClaims } from '../contract/index.ts'

export type TokenCacheOptions = {
  /** Most entries kept; the oldest is dropped first. */
  maxEntries: number
  /** Tokens longer than this are verified every time, so the cache stays small in bytes. */
  maxTokenLength: number
  /** ms an entry may live at most: the key-set cache lifetime, so a dropped key stops working. */
  maxAgeMs: number
}

export type TokenCache = {
  get(token: string, nowMs: number): AccessTokenClaims | undefined
  set(token: string, claims: AccessTokenClaims, nowMs: number, leewaySeconds: number): void
  readonly size: number
}

/**
 * Verified tokens per isolate, keyed by the exact token string (never by a decoded form: jose also
 * accepts re-encoded variants of a valid token). An entry never outlives its token's `exp` plus
 * leeway, nor the key-set cache. Bound: `maxEntries × maxTokenLength` bytes of keys.
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const entries = new Map<string, { claims: AccessTokenClaims; until: number }>()
  return {
    get(token, nowMs) {
      const entry = entries.get(token)
      if (!entry) return undefined
      if (entry.until <= nowMs) {
        entries.delete(token)
        return undefined
      }
      return entry.claims
    },
    set(token, claims, nowMs, leewaySeconds) {
      if (token.length > options.maxTokenLength) return
      const until = Math.min((claims.exp + leewaySeconds) * 1000, nowMs + options.maxAgeMs)
      entries.delete(token)
      entries.set(token, { claims, until })
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!)
    },
    get size() {
      return entries.size
    },
  }
}
