import { Hono } from 'hono'
import { SignJWT, base64url } from 'jose'
import {
  ACCESS_TOKEN_TYP,
  REVOCATION_FEED_MEDIA_TYPE,
  REVOCATION_FEED_TYP,
  ROUTES,
  deflateList,
  issuerUrl,
  revokedIndexList,
} from '../../contract/index.ts'
import { BENCH_FEED_HEADER } from '../constants.ts'
import { benchClaims, readCount } from './rings.ts'
import type { Issuer } from '../../worker/issuer.ts'

/** Sessions of the bench's own feed, 1 % of them revoked (issue 15's sizing case). */
export const BENCH_FEED_SESSIONS = 10_000
/** The index the bench's feed-mode tokens carry: never among the revoked. */
const LIVE_INDEX = BENCH_FEED_SESSIONS + 1

/**
 * Feed mode's fixtures. `POST /bench/feed-tokens` signs access tokens with a `status` claim
 * naming the issuer's feed, and `GET /.well-known/status-list` answers with a feed of the bench's
 * own (10,000 sessions, 1 % revoked, signed by the ring) only while the issuer's app answers 404
 * there: once the issuer serves its own feed (branch feed-issuer), the bench measures that one.
 */
export function feedRoutes(
  issuer: Issuer,
  app: { fetch: (request: Request) => Promise<Response> | Response },
) {
  const routes = new Hono()
  const feedUrl = issuerUrl(issuer.config.issuer, ROUTES.revocationFeed)

  routes.get(ROUTES.revocationFeed, async (c) => {
    const own = await app.fetch(c.req.raw)
    if (own.status !== 404) return own
    return new Response(await signBenchFeed(issuer, feedUrl), {
      headers: {
        'content-type': REVOCATION_FEED_MEDIA_TYPE,
        'cache-control': 'no-store',
        [BENCH_FEED_HEADER]: '1',
      },
    })
  })

  routes.post('/bench/feed-tokens', async (c) => {
    const n = readCount(c.req.query('n'), 1000)
    const { kid, alg, key } = await issuer.keys.signingKey()
    const tokens: string[] = []
    for (let i = 0; i < n; i++) {
      const claims = benchClaims(issuer)
      const status = { status_list: { idx: LIVE_INDEX, uri: feedUrl } }
      tokens.push(
        await new SignJWT({ sid: claims.sid, client_id: claims.client_id, status })
          .setProtectedHeader({ alg, kid, typ: ACCESS_TOKEN_TYP })
          .setIssuer(issuer.config.issuer)
          .setAudience(issuer.config.audience)
          .setSubject(claims.sub)
          .setJti(crypto.randomUUID())
          .setIssuedAt(claims.iat)
          .setExpirationTime(claims.exp)
          .sign(key),
      )
    }
    return c.json({ tokens })
  })
  return routes
}

async function signBenchFeed(issuer: Issuer, feedUrl: string): Promise<string> {
  const revoked = Array.from({ length: BENCH_FEED_SESSIONS / 100 }, (_, i) => i * 100)
  const lst = base64url.encode(await deflateList(revokedIndexList(revoked)))
  const { kid, alg, key } = await issuer.keys.signingKey()
  const iat = Math.floor(issuer.now() / 1000)
  return new SignJWT({ seq: 1, ttl: 60, status_list: { bits: 1, lst } })
    .setProtectedHeader({ alg, kid, typ: REVOCATION_FEED_TYP })
    .setIssuer(issuer.config.issuer)
    .setSubject(feedUrl)
    .setIssuedAt(iat)
    .setExpirationTime(iat + issuer.config.accessTokenTtl + issuer.config.clockSkewLeeway)
    .sign(key)
}
