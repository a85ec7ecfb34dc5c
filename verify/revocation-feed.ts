import { base64url, errors, jwtVerify } from 'jose'
import type { JWTPayload } from 'jose'
import {
  REVOCATION_FEED_BITS,
  REVOCATION_FEED_MEDIA_TYPE,
  REVOCATION_FEED_TYP,
  inflateList,
  isRotorError,
} from '../contract/index.ts'
import { readFeedBody } from './feed-body.ts'
import { FeedRefused } from './feed-refused.ts'
import { fetchIssuer } from './remote-keys.ts'
import type { AccessTokenKeys } from './access-token.ts'
import type { IssuerFetcher } from './remote-keys.ts'

/** A verified feed as an isolate holds it: plain values only, shared by all its requests. */
export type RevocationFeed = {
  seq: number
  /** Epoch seconds, signed: staleness is measured from here, never from when it was fetched. */
  iat: number
  exp: number
  /** Seconds within which the issuer signs a newer one (the draft's `ttl`), if it says. */
  ttl: number | undefined
  /** The inflated bit list (contract `isIndexRevoked`). */
  list: Uint8Array
  /** The answer's `ETag` (strong or weak), sent back as `If-None-Match`. */
  etag: string | undefined
}

/** Where the feed comes from and what it is checked against. */
export type FeedSource = {
  issuer: string
  /** `issuerUrl(issuer, ROUTES.revocationFeed)`: fetched, and the feed's required `sub`. */
  url: string
  via: IssuerFetcher | undefined
  /** The access tokens' key set: same JWKS, same pinned algorithms. */
  keys: AccessTokenKeys
  clockSkewLeeway: number
  timeoutMs: number
}

const ETAG = /^(W\/)?"[\x21\x23-\x7e]{0,200}"$/
const BASE64URL = /^[A-Za-z0-9_-]+$/

/**
 * Fetches the feed, sending `If-None-Match` when `conditional`, and verifies it: `'unchanged'`
 * for a 304 to that. The whole exchange, body included, must end within `timeoutMs`. Never
 * resolves to a feed older than `held` (lower `seq`, or the same `seq` signed earlier). Throws
 * `FeedRefused`.
 */
export async function fetchRevocationFeed(
  source: FeedSource,
  held: RevocationFeed | undefined,
  options: { nowMs: number; conditional: boolean },
): Promise<RevocationFeed | 'unchanged'> {
  const headers = new Headers({ accept: REVOCATION_FEED_MEDIA_TYPE })
  const etag = options.conditional ? held?.etag : undefined
  if (etag) headers.set('if-none-match', etag)
  const controller = new AbortController()
  return withDeadline(source.timeoutMs, controller, async () => {
    let response: Response
    try {
      const init = { headers, signal: controller.signal }
      response = await fetchIssuer(source.via, source.url, init)
    } catch (error) {
      throw new FeedRefused('unreachable', describe(error), error)
    }
    if (response.status === 304 && etag) {
      await response.body?.cancel()
      return 'unchanged'
    }
    if (response.status !== 200) {
      await response.body?.cancel()
      throw new FeedRefused('http', `HTTP ${response.status}`)
    }
    const jwt = await readFeedBody(response)
    const answered = response.headers.get('etag')
    const feed = await verifyFeed(source, jwt, held, options.nowMs)
    return { ...feed, etag: answered !== null && ETAG.test(answered) ? answered : undefined }
  })
}

/** Why `candidate` may not replace `held`, if it may not: the feed never goes back. */
export function orderProblem(
  candidate: Pick<RevocationFeed, 'seq' | 'iat'>,
  held: Pick<RevocationFeed, 'seq' | 'iat'> | undefined,
): FeedRefused | undefined {
  if (!held) return undefined
  if (candidate.seq < held.seq) {
    return new FeedRefused('older-seq', `seq ${candidate.seq} is older than the held ${held.seq}`)
  }
  if (candidate.seq === held.seq && candidate.iat < held.iat) {
    return new FeedRefused('replay', `seq ${candidate.seq} signed before the held one`)
  }
  return undefined
}

async function verifyFeed(
  source: FeedSource,
  jwt: string,
  held: RevocationFeed | undefined,
  nowMs: number,
): Promise<Omit<RevocationFeed, 'etag'>> {
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(jwt, source.keys.getKey, {
      algorithms: [...source.keys.algorithms],
      typ: REVOCATION_FEED_TYP,
      issuer: source.issuer,
      subject: source.url,
      requiredClaims: ['iat', 'exp', 'seq', 'status_list'],
      clockTolerance: source.clockSkewLeeway,
      currentDate: new Date(nowMs),
    }))
  } catch (error) {
    throw refusalOf(error)
  }
  const { iat, exp, seq, ttl, status_list: statusList } = payload as Record<string, unknown>
  const { bits, lst } = (typeof statusList === 'object' && statusList) as Record<string, unknown>
  const ok =
    Number.isSafeInteger(iat) &&
    Number.isSafeInteger(exp) &&
    Number.isSafeInteger(seq) &&
    (seq as number) >= 0 &&
    (ttl === undefined || (Number.isSafeInteger(ttl) && (ttl as number) > 0)) &&
    // jose accepts an iat in the future; a feed is signed now.
    (iat as number) <= Math.floor(nowMs / 1000) + source.clockSkewLeeway &&
    (exp as number) > (iat as number)
  if (!ok) throw new FeedRefused('claims', 'iat, exp, seq or ttl is not valid')
  const candidate = {
    seq: seq as number,
    iat: iat as number,
    exp: exp as number,
    ttl: ttl as number | undefined,
  }
  const order = orderProblem(candidate, held)
  if (order) throw order
  if (bits !== REVOCATION_FEED_BITS || typeof lst !== 'string' || !BASE64URL.test(lst)) {
    throw new FeedRefused('list', 'status_list is not a 1-bit base64url list')
  }
  const list = await inflateList(base64url.decode(lst))
  if (!list) throw new FeedRefused('list', 'status_list.lst is not ZLIB data within the limit')
  return { ...candidate, list }
}

function refusalOf(error: unknown): FeedRefused {
  // The key set's own refusal: the JWKS could not be fetched (logged as ISSUER_UNAVAILABLE).
  if (isRotorError(error)) return new FeedRefused('keys', error.message, error)
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new FeedRefused('unknown-kid', 'no published key matches the kid', error)
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JOSEAlgNotAllowed
  ) {
    return new FeedRefused('signature', describe(error), error)
  }
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    return new FeedRefused('claims', `${error.claim}: ${error.reason}`, error)
  }
  return new FeedRefused('malformed', describe(error), error)
}

async function withDeadline<T>(
  ms: number,
  controller: AbortController,
  run: () => Promise<T>,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new FeedRefused('timeout', `no whole answer within ${ms} ms`))
    }, ms)
  })
  try {
    return await Promise.race([run(), deadline])
  } finally {
    clearTimeout(timer)
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
