import { SignJWT, base64url } from 'jose'
import { REVOCATION_FEED_BITS, REVOCATION_FEED_TYP } from '../../contract/index.ts'
import { revocationFeedUrl } from '../tokens/access-token.ts'
import type { RevocationFeedClaims } from '../../contract/index.ts'
import type { KeyRing } from '../keys/key-ring.ts'
import type { EncodedStatusList } from './status-list.ts'

export type FeedTiming = {
  /** Seconds since which revocations are listed: an access token's lifetime plus leeway. */
  window: number
  /** Seconds at most between two signatures of an unchanged feed (`REVOCATION_FEED_RESIGN`). */
  resign: number
}

/** A signed feed and its validator: plain values, safe to share between requests. */
export type SignedFeed = { jwt: string; etag: string; seq: number; iat: number }

/**
 * Signs the feed with the ring's current key (the JWKS verifies it, like access tokens), `typ`
 * `statuslist+jwt`. `iat` is the second it was built in; `ttl` tells a verifier that a new
 * signature comes at least that often; `exp` is when every token it could still refuse has
 * expired anyway.
 *
 * The ETag names the claims, not the bytes: it is the same for every feed of one sequence number
 * and list within one re-sign interval, so a verifier polling any isolate gets 304 until the list
 * moves or the interval ends. It is weak (RFC 9110 §8.8.1): ES256 signatures are randomized, so
 * two isolates never sign the same claims into the same bytes.
 */
export async function signRevocationFeed(
  ring: KeyRing,
  options: { issuer: string; timing: FeedTiming },
  feed: { seq: number; list: EncodedStatusList; now: number },
): Promise<SignedFeed> {
  const { kid, alg, key } = await ring.signingKey()
  const { issuer, timing } = options
  const iat = Math.floor(feed.now / 1000)
  const claims: Omit<RevocationFeedClaims, 'iss' | 'sub' | 'iat' | 'exp'> = {
    ttl: timing.resign,
    seq: feed.seq,
    status_list: { bits: REVOCATION_FEED_BITS, lst: feed.list.lst },
  }
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg, kid, typ: REVOCATION_FEED_TYP })
    .setIssuer(issuer)
    .setSubject(revocationFeedUrl({ issuer }))
    .setIssuedAt(iat)
    .setExpirationTime(iat + timing.window)
    .sign(key)
  const bucket = Math.floor(iat / timing.resign)
  const named = new TextEncoder().encode(`${feed.seq}.${bucket}.${feed.list.digest}`)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', named))
  return { jwt, etag: `W/"${base64url.encode(digest.subarray(0, 16))}"`, seq: feed.seq, iat }
}
