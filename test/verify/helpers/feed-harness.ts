import { Hono } from 'hono'
import { SignJWT, base64url, generateKeyPair } from 'jose'
import { vi } from 'vitest'
import {
  REVOCATION_FEED_MEDIA_TYPE,
  REVOCATION_FEED_TYP,
  ROUTES,
  deflateList,
  issuerUrl,
  revokedIndexList,
} from '../../../contract/index.ts'
import { requireAuth } from '../../../verify/index.ts'
import { createTestIssuer } from '../../worker/helpers/issuer.ts'
import type { RequireAuthOptions } from '../../../verify/index.ts'

export const ISSUER = 'http://localhost:8787'
export const FEED_URL = issuerUrl(ISSUER, ROUTES.revocationFeed)

/** What the fake feed route answers; fault injection only (the real route: feed-issuer-route). */
export type FeedAnswer = (request: Request) => Response | Promise<Response>

export type FeedClaims = {
  seq: number
  /** Epoch seconds. @default the harness clock */
  iat?: number
  exp?: number
  revoked?: number[]
  /** @default 60 (the issuer's default re-sign interval) */
  ttl?: number
  typ?: string
  iss?: string
  sub?: string
  /** A raw `lst` instead of the deflated `revoked` list. */
  lst?: string
  bits?: number
}

/**
 * A feed-mode verifier reaching the test issuer's JWKS through a binding whose feed route answers
 * what the test says; its clock (`now`) moves only when the test moves it, and every
 * `waitUntil` promise is kept so `settle()` can finish background refreshes.
 */
export function createFeedHarness(options: Partial<RequireAuthOptions> = {}) {
  const t = createTestIssuer()
  // On a whole second, as signed `iat`s are: ages in ms and in seconds then agree.
  const clock = { ms: Math.floor(Date.now() / 1000) * 1000 }
  const seconds = () => Math.floor(clock.ms / 1000)
  const feedRequests: Request[] = []
  const otherUrls: string[] = []
  let answer: FeedAnswer = () => new Response('no feed yet', { status: 503 })
  const binding = {
    fetch: async (input: string | Request, init?: RequestInit) => {
      const request = new Request(input, init)
      const { pathname } = new URL(request.url)
      if (request.url === FEED_URL) {
        feedRequests.push(request)
        return answer(request)
      }
      if (pathname !== ROUTES.jwks) otherUrls.push(request.url)
      return t.app.fetch(request)
    },
  }
  const app = new Hono()
  app.use(
    '/api/*',
    requireAuth({
      issuer: ISSUER,
      audience: 'rotor',
      jwks: binding,
      mode: 'feed',
      now: () => clock.ms,
      ...options,
    }),
  )
  app.get('/api/whoami', (c) => c.json({ ok: true }))
  const background: Promise<unknown>[] = []
  const ctx = {
    waitUntil: (promise: Promise<unknown>) => void background.push(promise),
    passThroughOnException() {},
    props: {},
  } as unknown as ExecutionContext

  const signFeed = async (
    claims: FeedClaims,
    key?: { kid: string; alg: string; key: CryptoKey },
  ) => {
    const signer = key ?? (await t.issuer.keys.signingKey())
    const iat = claims.iat ?? seconds()
    const lst =
      claims.lst ?? base64url.encode(await deflateList(revokedIndexList(claims.revoked ?? [])))
    return new SignJWT({
      seq: claims.seq,
      ttl: claims.ttl ?? 60,
      status_list: { bits: claims.bits ?? 1, lst },
    })
      .setProtectedHeader({
        alg: signer.alg,
        kid: signer.kid,
        typ: claims.typ ?? REVOCATION_FEED_TYP,
      })
      .setIssuer(claims.iss ?? ISSUER)
      .setSubject(claims.sub ?? FEED_URL)
      .setIssuedAt(iat)
      .setExpirationTime(claims.exp ?? iat + 86_400)
      .sign(signer.key)
  }

  return {
    issuer: t,
    clock,
    /** Moves the verifier's clock (and the default `iat` of feeds and tokens) forward. */
    advance: (s: number) => void (clock.ms += s * 1000),
    feedRequests,
    /** Requests the binding carried beyond the feed and the JWKS. */
    otherUrls,
    answerWith(next: FeedAnswer) {
      answer = next
    },
    /** Serves this feed from now on. */
    async serve(claims: FeedClaims, headers: Record<string, string> = {}) {
      const jwt = await signFeed(claims)
      answer = () => feedResponse(jwt, headers)
    },
    signFeed,
    /**
     * An access token signed by the issuer's ring naming index `idx` of the feed at `uri` (by
     * default this verifier's), or with `{ status }` exactly that claim (`null`: none).
     */
    async token(status: { idx: number; uri?: string } | { status: unknown } | null) {
      const { kid, alg, key } = await t.issuer.keys.signingKey()
      const claim =
        status && 'idx' in status
          ? { status_list: { uri: FEED_URL, ...status } }
          : (status?.status ?? null)
      const iat = seconds()
      return new SignJWT({
        sid: crypto.randomUUID(),
        client_id: 'web',
        ...(claim && { status: claim }),
      })
        .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience('rotor')
        .setSubject('user-1')
        .setJti(crypto.randomUUID())
        .setIssuedAt(iat)
        .setExpirationTime(iat + 900)
        .sign(key)
    },
    async get(token: string) {
      const response = await app.request(
        '/api/whoami',
        { headers: { authorization: `Bearer ${token}` } },
        {},
        ctx,
      )
      const body = (await response.json()) as any
      return {
        status: response.status,
        reason: body.error?.data?.reason as string | undefined,
        message: body.error?.message as string | undefined,
        retryAfter: response.headers.get('retry-after'),
        challenge: response.headers.get('www-authenticate'),
      }
    },
    /** Finishes every background refresh started so far. */
    async settle() {
      while (background.length > 0) await background.shift()
    },
  }
}

export type FeedHarness = ReturnType<typeof createFeedHarness>

export function feedResponse(body: BodyInit, headers: Record<string, string> = {}, status = 200) {
  return new Response(body, {
    status,
    headers: { 'content-type': REVOCATION_FEED_MEDIA_TYPE, ...headers },
  })
}

/** A signing key the issuer never published, under a `kid` of its choosing. */
export async function foreignKey(kid: string) {
  const { privateKey } = await generateKeyPair('ES256')
  return { kid, alg: 'ES256', key: privateKey }
}

/** Every line the verifier writes with `console.error`, parsed. */
export function captureErrorLog() {
  const raw: string[] = []
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void raw.push(String(line)))
  return {
    raw,
    get lines() {
      return raw.map((line) => JSON.parse(line) as Record<string, unknown>)
    },
  }
}
