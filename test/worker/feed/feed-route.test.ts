import { describe, expect, test } from 'vitest'
import { exports } from 'cloudflare:workers'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import {
  ACCESS_TOKEN_TYP,
  REVOCATION_FEED_MEDIA_TYPE,
  REVOCATION_FEED_TYP,
  ROUTES,
} from '../../../contract/index.ts'
import { createTestIssuer, signIn } from '../helpers/issuer.ts'
import { bodyOf, feedUrl, readFeed } from './helpers.ts'
import type { JSONWebKeySet } from 'jose'
import type { TestIssuer } from '../helpers/issuer.ts'

const worker = exports.default as unknown as { fetch: (request: Request) => Promise<Response> }

const etagOf = async (t: TestIssuer) =>
  (await t.request(ROUTES.revocationFeed)).headers.get('etag')!
const conditional = (t: TestIssuer, etag: string) =>
  t.request(ROUTES.revocationFeed, { headers: { 'if-none-match': etag } })

describe('GET /.well-known/status-list', () => {
  test('a statuslist+jwt signed by the current key, verified against the published JWKS', async () => {
    const t = createTestIssuer()
    const feed = await readFeed(t)
    expect(feed.response.headers.get('content-type')).toBe(REVOCATION_FEED_MEDIA_TYPE)
    expect(feed.response.headers.get('cache-control')).toBe('public, max-age=1')
    const { kid, alg } = await t.issuer.keys.signingKey()
    expect(feed.header).toEqual({ typ: REVOCATION_FEED_TYP, kid, alg })
    expect(feed.claims).toMatchObject({
      iss: t.issuer.config.issuer,
      sub: feedUrl(t),
      status_list: { bits: 1, lst: expect.any(String) },
    })
    // Against the JWKS as a verifier fetches it; with `typ` pinned, an access token's is refused.
    const jwks = (await (await t.request(ROUTES.jwks)).json()) as JSONWebKeySet
    const keys = createLocalJWKSet(jwks)
    const at = { currentDate: new Date(t.issuer.now()) }
    await expect(
      jwtVerify(feed.jwt, keys, { ...at, typ: REVOCATION_FEED_TYP }),
    ).resolves.toBeTruthy()
    await expect(jwtVerify(feed.jwt, keys, { ...at, typ: ACCESS_TOKEN_TYP })).rejects.toThrow()
  })

  test('If-None-Match with the held ETag is 304 with no body, until a revocation moves the feed', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const etag = await etagOf(t)
    expect(etag).toMatch(/^W\/"[\w-]{22}"$/)
    const unchanged = await conditional(t, etag)
    expect(unchanged.status).toBe(304)
    expect(await bodyOf(unchanged)).toBe('')
    expect(unchanged.headers.get('etag')).toBe(etag)
    expect(unchanged.headers.get('cache-control')).toBe('public, max-age=1')
    // A list of tags, `*`, and the tag without its weak prefix all match (weak comparison).
    for (const header of [`"other", ${etag}`, '*', etag.slice(2)]) {
      expect((await conditional(t, header)).status).toBe(304)
    }
    expect((await conditional(t, '"other"')).status).toBe(200)

    await t.call('auth.logout', {}, { token: pair.accessToken })
    const moved = await conditional(t, etag)
    expect(moved.status).toBe(200)
    expect(moved.headers.get('etag')).not.toBe(etag)
  })

  test('an unchanged feed keeps its ETag while re-signed, and gets a new one each interval', async () => {
    const t = createTestIssuer({ REVOCATION_FEED_RESIGN: '60' })
    // Start at the beginning of a re-sign interval, so the next 59 s stay inside it.
    t.advance(60 - (Math.floor(t.issuer.now() / 1000) % 60))
    const first = await readFeed(t)
    t.advance(30)
    const later = await readFeed(t)
    expect(later.claims.iat).toBe(first.claims.iat + 30)
    expect(later.response.headers.get('etag')).toBe(first.response.headers.get('etag'))
    t.advance(30)
    const next = await readFeed(t)
    expect(next.response.headers.get('etag')).not.toBe(first.response.headers.get('etag'))
    expect(next.claims.seq).toBe(first.claims.seq)
  })

  test('HEAD answers the headers of GET without the body; other methods are 405', async () => {
    const t = createTestIssuer()
    const get = await t.request(ROUTES.revocationFeed)
    const head = await t.request(ROUTES.revocationFeed, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await bodyOf(head)).toBe('')
    for (const name of ['content-type', 'cache-control', 'etag']) {
      expect(head.headers.get(name)).toBe(get.headers.get(name))
    }
    const post = await t.request(ROUTES.revocationFeed, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
  })

  test('public like the JWKS: any origin may read it, never with credentials', async () => {
    const t = createTestIssuer()
    const response = await t.request(ROUTES.revocationFeed, {
      headers: { origin: 'https://elsewhere.example' },
    })
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-credentials')).toBeNull()
  })

  test('the deployed entry serves it, as a service binding reaches it', async () => {
    const response = await worker.fetch(new Request(`http://localhost${ROUTES.revocationFeed}`))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(REVOCATION_FEED_MEDIA_TYPE)
    const jwt = await bodyOf(response)
    expect(decodeProtectedHeader(jwt).typ).toBe(REVOCATION_FEED_TYP)
    const jwks = (await (
      await worker.fetch(new Request(`http://localhost${ROUTES.jwks}`))
    ).json()) as JSONWebKeySet
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { typ: REVOCATION_FEED_TYP })
    expect(payload.sub).toBe(`http://localhost:8787${ROUTES.revocationFeed}`)
    const again = await worker.fetch(
      new Request(`http://localhost${ROUTES.revocationFeed}`, {
        headers: { 'if-none-match': response.headers.get('etag')! },
      }),
    )
    expect(again.status).toBe(304)
  })

  test('64 requests at once to the deployed entry, each its own request, all get the feed', async () => {
    // Each waits for one build without following the builder's promise (worker/feed/feed-cache.ts):
    // a request that did, or that waited on a promise only another request settles, failed here.
    const fetchFeed = () => worker.fetch(new Request(`http://localhost${ROUTES.revocationFeed}`))
    const responses = await Promise.all(Array.from({ length: 64 }, fetchFeed))
    expect(responses.map((response) => response.status)).toEqual(Array(64).fill(200))
    const bodies = await Promise.all(responses.map(bodyOf))
    expect(new Set(bodies).size).toBe(1)
  })

  test('the authorization server metadata names it', async () => {
    const t = createTestIssuer()
    const metadata = (await (
      await t.request('/.well-known/oauth-authorization-server')
    ).json()) as Record<string, unknown>
    expect(metadata.rotor_revocation_feed_uri).toBe(feedUrl(t))
  })
})
