import { afterEach, describe, expect, test, vi } from 'vitest'
import { base64url } from 'jose'
import {
  MAX_REVOCATION_FEED_BYTES,
  MAX_REVOCATION_LIST_BYTES,
  deflateList,
} from '../../contract/index.ts'
import {
  captureErrorLog,
  createFeedHarness,
  feedResponse,
  foreignKey,
} from './helpers/feed-harness.ts'
import type { FeedAnswer, FeedHarness } from './helpers/feed-harness.ts'

afterEach(() => void vi.restoreAllMocks())

// The held feed: seq 5, signed at the start, listing index 7.
const HELD = { seq: 5, revoked: [7] }
const NEXT = { seq: 6, revoked: [7, 8] }

/** Each bad answer is made with the harness and the held feed's `iat` (epoch seconds). */
type BadCase = [
  name: string,
  problem: string,
  answer: (h: FeedHarness, heldIat: number) => Promise<FeedAnswer>,
]

const jwt = (h: FeedHarness, claims: Parameters<FeedHarness['signFeed']>[0]) =>
  h.signFeed(claims).then((token) => () => feedResponse(token))

/** A body that never ends: the verifier must stop reading it at the limit. */
function endless(pulled: { bytes: number }) {
  const chunk = new Uint8Array(65_536).fill(0x41)
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled.bytes += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
}

const CASES: BadCase[] = [
  [
    'a bad signature (another key under the issuer’s kid)',
    'signature',
    async (h) => {
      const { kid } = await h.issuer.issuer.keys.signingKey()
      const token = await h.signFeed(NEXT, await foreignKey(kid))
      return () => feedResponse(token)
    },
  ],
  [
    'an unknown kid',
    'unknown-kid',
    async (h) => {
      const token = await h.signFeed(NEXT, await foreignKey('not-published'))
      return () => feedResponse(token)
    },
  ],
  ['an older seq', 'older-seq', (h) => jwt(h, { ...NEXT, seq: 4 })],
  [
    'the same seq signed earlier (a replay)',
    'replay',
    (h, iat) => jwt(h, { ...HELD, iat: iat - 1 }),
  ],
  [
    'a truncated body',
    'signature',
    async (h) => {
      const token = await h.signFeed(NEXT)
      return () => feedResponse(token.slice(0, token.length - 20))
    },
  ],
  [
    'a truncated payload',
    'malformed',
    async (h) => {
      const token = await h.signFeed(NEXT)
      return () => feedResponse(token.slice(0, token.indexOf('.') + 12))
    },
  ],
  [
    'an oversized body that never ends',
    'too-large',
    async () => () => feedResponse(endless({ bytes: 0 })),
  ],
  [
    'an oversized Content-Length',
    'too-large',
    async () => () =>
      feedResponse('x', { 'content-length': String(MAX_REVOCATION_FEED_BYTES + 1) }),
  ],
  [
    'a deflate bomb (a list inflating past the limit)',
    'list',
    async (h) => {
      const bomb = await deflateList(new Uint8Array(MAX_REVOCATION_LIST_BYTES + 1))
      return jwt(h, { seq: 6, lst: base64url.encode(bomb) })
    },
  ],
  ['a list that is not ZLIB', 'list', (h) => jwt(h, { seq: 6, lst: 'AAAA' })],
  ['a list of 2-bit entries', 'list', (h) => jwt(h, { ...NEXT, bits: 2 })],
  ['the access-token typ', 'claims', (h) => jwt(h, { ...NEXT, typ: 'at+jwt' })],
  ['a plain JWT typ', 'claims', (h) => jwt(h, { ...NEXT, typ: 'JWT' })],
  ['another sub', 'claims', (h) => jwt(h, { ...NEXT, sub: 'http://localhost:8787/other' })],
  ['another iss', 'claims', (h) => jwt(h, { ...NEXT, iss: 'http://evil.example' })],
  ['an expired feed', 'claims', (h, iat) => jwt(h, { ...NEXT, iat: iat - 100, exp: iat - 60 })],
  ['an iat in the future', 'claims', (h, iat) => jwt(h, { ...NEXT, iat: iat + 120 })],
  [
    'another media type',
    'malformed',
    async (h) => {
      const token = await h.signFeed(NEXT)
      return () => new Response(token, { headers: { 'content-type': 'application/json' } })
    },
  ],
  ['a 500', 'http', async () => () => new Response('down', { status: 500 })],
  [
    'a 304 to a request without If-None-Match',
    'http',
    async () => () => new Response(null, { status: 304 }),
  ],
  [
    'a network failure',
    'unreachable',
    async () => () => Promise.reject(new TypeError('Network connection lost.')),
  ],
  ['a route that hangs', 'timeout', async () => () => new Promise<Response>(() => {})],
  [
    'a body that hangs',
    'timeout',
    async () => () => feedResponse(new ReadableStream({ pull: () => new Promise(() => {}) })),
  ],
]

describe('feed mode: a bad feed keeps the last good one and logs once', () => {
  test.each(CASES)('%s', async (_, problem, bad) => {
    const h = createFeedHarness({ feedInterval: 5, feedTimeout: 0.05 })
    const heldIat = h.clock.ms / 1000
    await h.serve({ ...HELD, iat: heldIat })
    const [seven, eight] = [await h.token({ idx: 7 }), await h.token({ idx: 8 })]
    expect((await h.get(seven)).reason).toBe('SESSION_REVOKED')
    const log = captureErrorLog()
    h.advance(1)
    h.answerWith(await bad(h, heldIat))
    for (let i = 0; i < 3; i++) {
      h.advance(5)
      expect((await h.get(seven)).reason).toBe('SESSION_REVOKED')
      expect((await h.get(eight)).status).toBe(200)
      await h.settle()
    }
    expect(h.feedRequests).toHaveLength(4)
    expect(log.lines).toHaveLength(1)
    expect(log.lines[0]).toMatchObject({
      level: 'error',
      reason: 'REVOCATION_FEED_UNAVAILABLE',
      problem,
    })
    for (const token of [seven, eight]) expect(log.raw[0]).not.toContain(token.split('.')[2])
    // The issuer answers well again: the next refresh takes its feed.
    await h.serve(NEXT)
    h.advance(5)
    await h.get(eight)
    await h.settle()
    expect((await h.get(eight)).reason).toBe('SESSION_REVOKED')
    expect(log.lines).toHaveLength(1)
  })

  test('an endless body is read no further than the limit', async () => {
    const h = createFeedHarness()
    await h.serve(HELD)
    const token = await h.token({ idx: 1 })
    await h.get(token)
    captureErrorLog()
    const read = { bytes: 0 }
    h.answerWith(() => feedResponse(endless(read)))
    h.advance(5)
    await h.get(token)
    await h.settle()
    expect(read.bytes).toBeGreaterThan(MAX_REVOCATION_FEED_BYTES)
    expect(read.bytes).toBeLessThan(MAX_REVOCATION_FEED_BYTES + 4 * 65_536)
  })
})
