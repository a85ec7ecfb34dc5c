import { afterEach, describe, expect, test, vi } from 'vitest'
import { FEED_URL, createFeedHarness, feedResponse } from './helpers/feed-harness.ts'

afterEach(() => void vi.restoreAllMocks())

describe('feed mode: tokens against the revocation feed', () => {
  test('a listed session is refused with SESSION_REVOKED; an unlisted one passes', async () => {
    const h = createFeedHarness()
    await h.serve({ seq: 1, revoked: [3, 10] })
    const revoked = await h.get(await h.token({ idx: 3 }))
    expect(revoked).toMatchObject({ status: 401, reason: 'SESSION_REVOKED' })
    expect(revoked.challenge).toMatch(/^Bearer error="invalid_token"/)
    expect((await h.get(await h.token({ idx: 4 }))).status).toBe(200)
    expect((await h.get(await h.token({ idx: 10 }))).reason).toBe('SESSION_REVOKED')
    // Past the list's end: a session that was not revoked in the window.
    expect((await h.get(await h.token({ idx: 1_000_000 }))).status).toBe(200)
    expect(h.feedRequests).toHaveLength(1)
  })

  test('a token without the status claim is TOKEN_INVALID, telling the client to refresh', async () => {
    const h = createFeedHarness()
    await h.serve({ seq: 1 })
    const result = await h.get(await h.token(null))
    expect(result).toMatchObject({ status: 401, reason: 'TOKEN_INVALID' })
    expect(result.message).toMatch(/status claim; refresh/)
  })

  test.each([
    ['another host', 'https://evil.example/.well-known/status-list'],
    ['another path of the issuer', 'http://localhost:8787/.well-known/status-list2'],
    ['the feed URL with a query', `${FEED_URL}?x=1`],
  ])('a token naming %s as its feed is refused and nothing is fetched from it', async (_, uri) => {
    const h = createFeedHarness()
    await h.serve({ seq: 1 })
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const result = await h.get(await h.token({ idx: 1, uri }))
    expect(result).toMatchObject({ status: 401, reason: 'TOKEN_INVALID' })
    expect(result.message).toMatch(/another revocation feed/)
    expect(fetchSpy).not.toHaveBeenCalled()
    expect(h.otherUrls).toEqual([])
    expect(h.feedRequests).toHaveLength(0)
  })

  test.each([
    ['a negative index', { status_list: { idx: -1, uri: FEED_URL } }],
    ['a fractional index', { status_list: { idx: 1.5, uri: FEED_URL } }],
    ['an index no feed can hold', { status_list: { idx: 2 ** 32 + 3, uri: FEED_URL } }],
    ['no uri', { status_list: { idx: 1 } }],
    ['no status_list', { idx: 1, uri: FEED_URL }],
  ])('a status claim with %s is TOKEN_INVALID', async (_, status) => {
    const h = createFeedHarness()
    await h.serve({ seq: 1, revoked: [3] })
    expect((await h.get(await h.token({ status }))).reason).toBe('TOKEN_INVALID')
  })

  test('the first request waits for the feed; later ones answer from it while a refresh hangs', async () => {
    const h = createFeedHarness()
    const first = await h.signFeed({ seq: 1, revoked: [3] })
    let release: (response: Response) => void = () => {}
    h.answerWith(() => {
      h.answerWith(() => new Promise((resolve) => (release = resolve)))
      return feedResponse(first)
    })
    const [revoked, live] = [await h.token({ idx: 3 }), await h.token({ idx: 4 })]
    // Only the feed can refuse this token, so the first request did wait for it.
    expect((await h.get(revoked)).reason).toBe('SESSION_REVOKED')
    h.advance(5)
    // This one starts the refresh, which never answers; it and the next answer from the held feed.
    expect((await h.get(revoked)).reason).toBe('SESSION_REVOKED')
    for (let i = 0; i < 5; i++) {
      h.advance(5)
      expect((await h.get(live)).status).toBe(200)
      expect((await h.get(revoked)).status).toBe(401)
    }
    expect(h.feedRequests).toHaveLength(2)
    release(feedResponse(await h.signFeed({ seq: 2, revoked: [3, 4] })))
    await h.settle()
    expect((await h.get(live)).reason).toBe('SESSION_REVOKED')
  })

  test('concurrent first requests share one fetch', async () => {
    const h = createFeedHarness()
    await h.serve({ seq: 1, revoked: [3] })
    const token = await h.token({ idx: 3 })
    const results = await Promise.all([h.get(token), h.get(token), h.get(token)])
    expect(results.map((r) => r.reason)).toEqual(Array(3).fill('SESSION_REVOKED'))
    expect(h.feedRequests).toHaveLength(1)
  })

  test('a revocation is refused from the first refresh feedInterval after the last', async () => {
    const h = createFeedHarness({ feedInterval: 5 })
    await h.serve({ seq: 1 })
    const token = await h.token({ idx: 7 })
    expect((await h.get(token)).status).toBe(200)
    // Signed out at the issuer: its feed lists index 7 from now on.
    await h.serve({ seq: 2, revoked: [7] })
    h.advance(4.999)
    expect((await h.get(token)).status).toBe(200)
    expect(h.feedRequests).toHaveLength(1)
    h.advance(0.001)
    // Due: this request answers from the held feed and starts the refresh without waiting.
    expect((await h.get(token)).status).toBe(200)
    await h.settle()
    expect(h.feedRequests).toHaveLength(2)
    expect((await h.get(token)).reason).toBe('SESSION_REVOKED')
  })

  test('a 304 keeps the held feed but cannot make it younger; nor can a frozen replay', async () => {
    const h = createFeedHarness({ feedInterval: 5, maxStaleness: 120 })
    const frozen = await h.signFeed({ seq: 4, revoked: [2] })
    h.answerWith((request) =>
      request.headers.get('if-none-match') === '"seq-4"'
        ? new Response(null, { status: 304 })
        : feedResponse(frozen, { etag: '"seq-4"' }),
    )
    const token = await h.token({ idx: 2 })
    expect((await h.get(token)).reason).toBe('SESSION_REVOKED')
    for (let age = 5; age <= 120; age += 5) {
      h.advance(5)
      expect((await h.get(token)).reason).toBe('SESSION_REVOKED')
      await h.settle()
    }
    const sent = h.feedRequests.map((r) => r.headers.get('if-none-match'))
    expect(sent[0]).toBeNull()
    expect(sent[1]).toBe('"seq-4"')
    // Past half of maxStaleness the feed is asked for whole: a re-signed one would come back.
    expect(sent.at(-1)).toBeNull()
    expect(
      h.feedRequests.every((r) => r.headers.get('accept') === 'application/statuslist+jwt'),
    ).toBe(true)
    h.advance(1)
    const stale = await h.get(token)
    expect(stale).toMatchObject({ status: 503, reason: 'REVOCATION_FEED_UNAVAILABLE' })
  })
})
