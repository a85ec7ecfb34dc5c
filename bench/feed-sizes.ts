import { gzipSync } from 'node:zlib'
import { SignJWT } from 'jose'
import { generateKeySet } from '../scripts/lib/signing-keys.ts'
import { createKeyRing } from '../worker/keys/key-ring.ts'
import { feedTiming } from '../worker/feed/revocation-feed.ts'
import { signRevocationFeed } from '../worker/feed/sign-feed.ts'
import { encodeStatusList } from '../worker/feed/status-list.ts'
import { ISSUER } from './server.ts'

/** One population: the status list Rotor serves beside the sid list it could have served. */
export type FeedSize = {
  sessions: number
  revoked: number
  /** Bytes of the bit list before compression. */
  listBytes: number
  /** The signed feed as served (compact JWT), and gzipped as HTTP could carry it. */
  statusList: { bytes: number; gzip: number }
  sidList: { bytes: number; gzip: number }
}

export const FEED_POPULATIONS = [100, 10_000, 1_000_000] as const
/** The share of sessions revoked within the window: the issue's figure. */
export const REVOKED_SHARE = 0.01

const config = { issuer: ISSUER, accessTokenTtl: 900, revocationFeedResign: 60 }

/**
 * The feed built by the issuer's own code (`encodeStatusList`, `signRevocationFeed`, ES256) over
 * synthetic sessions 0…n−1, each revoked with probability 1 % (a seeded generator, so runs agree),
 * and the alternative: the same revocations as a signed list of session ids (UUIDs).
 */
export async function measureFeedSizes(): Promise<FeedSize[]> {
  const ring = createKeyRing(JSON.stringify(await generateKeySet()), 'ES256')
  const { kid, alg, key } = await ring.signingKey()
  const timing = feedTiming(config)
  const now = Date.now()
  const sizes: FeedSize[] = []
  for (const sessions of FEED_POPULATIONS) {
    const random = mulberry32(sessions)
    const indexes: number[] = []
    for (let idx = 0; idx < sessions; idx++) if (random() < REVOKED_SHARE) indexes.push(idx)
    const list = await encodeStatusList(indexes)
    const feed = await signRevocationFeed(ring, { issuer: ISSUER, timing }, { seq: 1, list, now })
    const iat = Math.floor(now / 1000)
    const sidList = await new SignJWT({ seq: 1, sids: indexes.map(() => crypto.randomUUID()) })
      .setProtectedHeader({ alg, kid, typ: 'sidlist+jwt' })
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(iat + timing.window)
      .sign(key)
    sizes.push({
      sessions,
      revoked: indexes.length,
      listBytes: list.listBytes,
      statusList: { bytes: feed.jwt.length, gzip: gzipSync(feed.jwt).byteLength },
      sidList: { bytes: sidList.length, gzip: gzipSync(sidList).byteLength },
    })
  }
  return sizes
}

/** A small seeded generator (mulberry32): the same populations on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
