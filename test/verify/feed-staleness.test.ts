import { afterEach, describe, expect, test, vi } from 'vitest'
import { captureErrorLog, createFeedHarness } from './helpers/feed-harness.ts'
import type { RequireAuthOptions } from '../../verify/index.ts'

afterEach(() => void vi.restoreAllMocks())

const down = () => new Response('down', { status: 500 })

/** A verifier holding a feed signed now that lists index 7, whose issuer then goes down. */
async function heldThenDown(options: Partial<RequireAuthOptions>) {
  const h = createFeedHarness({ feedInterval: 5, maxStaleness: 120, ...options })
  await h.serve({ seq: 1, revoked: [7] })
  const [revoked, live] = [await h.token({ idx: 7 }), await h.token({ idx: 8 })]
  expect((await h.get(revoked)).reason).toBe('SESSION_REVOKED')
  h.answerWith(down)
  const log = captureErrorLog()
  return { h, revoked, live, log }
}

/** Moves to `seconds` after the held feed's `iat`, refreshing (and failing) on the way. */
async function ageTo(h: Awaited<ReturnType<typeof heldThenDown>>['h'], from: number, to: number) {
  for (let age = from + 5; age <= to; age += 5) {
    h.advance(5)
    await h.get(await h.token({ idx: 1 }))
    await h.settle()
  }
}

describe('feed mode: a feed past maxStaleness', () => {
  test("staleFeed 'refuse' (the default): trusted up to maxStaleness, then 503 with Retry-After", async () => {
    const { h, revoked, live, log } = await heldThenDown({})
    await ageTo(h, 0, 120)
    expect((await h.get(revoked)).reason).toBe('SESSION_REVOKED')
    expect((await h.get(live)).status).toBe(200)
    expect(log.lines).toHaveLength(1)
    h.clock.ms += 1
    for (const token of [live, revoked, live]) {
      expect(await h.get(token)).toMatchObject({
        status: 503,
        reason: 'REVOCATION_FEED_UNAVAILABLE',
        retryAfter: '5',
        challenge: null,
      })
    }
    expect(log.lines).toHaveLength(2)
    expect(log.lines[1]).toMatchObject({
      reason: 'REVOCATION_FEED_UNAVAILABLE',
      staleFeed: 'refuse',
      feedAgeSeconds: 120,
      maxStaleness: 120,
    })
    // Back up: the request that finds it due still refuses; once refreshed, the feed decides.
    await h.serve({ seq: 2, revoked: [7] })
    h.advance(5)
    expect((await h.get(live)).status).toBe(503)
    await h.settle()
    expect((await h.get(live)).status).toBe(200)
    expect((await h.get(revoked)).reason).toBe('SESSION_REVOKED')
    expect(log.lines).toHaveLength(2)
  })

  test("staleFeed 'stateless': past maxStaleness, verifies as stateless and logs once", async () => {
    const { h, revoked, live, log } = await heldThenDown({ staleFeed: 'stateless' })
    await ageTo(h, 0, 120)
    expect((await h.get(revoked)).reason).toBe('SESSION_REVOKED')
    h.clock.ms += 1
    expect((await h.get(revoked)).status).toBe(200)
    expect((await h.get(live)).status).toBe(200)
    expect(
      (await h.get(await h.token({ idx: 7, uri: 'https://elsewhere.example/feed' }))).reason,
    ).toBe('TOKEN_INVALID')
    expect(log.lines).toHaveLength(2)
    expect(log.lines[1]).toMatchObject({
      staleFeed: 'stateless',
      msg: expect.stringMatching(/stateless/),
    })
  })

  test('a feed is not trusted past its own exp (plus leeway), even within maxStaleness', async () => {
    const h = createFeedHarness({ maxStaleness: 600, clockSkewLeeway: 30 })
    const iat = h.clock.ms / 1000
    await h.serve({ seq: 1, revoked: [7], iat, exp: iat + 60 })
    const token = await h.token({ idx: 7 })
    expect((await h.get(token)).reason).toBe('SESSION_REVOKED')
    h.answerWith(down)
    const log = captureErrorLog()
    h.advance(90)
    expect((await h.get(token)).reason).toBe('SESSION_REVOKED')
    await h.settle()
    h.clock.ms += 1
    expect((await h.get(token)).reason).toBe('REVOCATION_FEED_UNAVAILABLE')
    expect(log.lines.map((line) => line.problem ?? line.staleFeed)).toEqual(['http', 'refuse'])
  })

  test.each([
    ['refuse', 503],
    ['stateless', 200],
  ] as const)(
    "no feed yet and the issuer is down: staleFeed '%s' answers %s, without waiting again",
    async (staleFeed, status) => {
      const h = createFeedHarness({ staleFeed, feedInterval: 5 })
      h.answerWith(down)
      const log = captureErrorLog()
      const token = await h.token({ idx: 7 })
      expect((await h.get(token)).status).toBe(status)
      h.advance(4)
      expect((await h.get(token)).status).toBe(status)
      expect(h.feedRequests).toHaveLength(1)
      expect(log.lines).toMatchObject([{ problem: 'http' }, { staleFeed, feedAgeSeconds: null }])
      await h.serve({ seq: 1, revoked: [7] })
      h.advance(1)
      // Still no feed: this request waits for the fetch it starts.
      expect((await h.get(token)).reason).toBe('SESSION_REVOKED')
    },
  )
})

describe('feed mode options', () => {
  test.each([
    [{ feedInterval: 0 }, /feedInterval/],
    [{ feedInterval: 2.5 }, /feedInterval/],
    [{ feedInterval: 301 }, /feedInterval/],
    [{ maxStaleness: 5 }, /maxStaleness/],
    [{ feedInterval: 30, maxStaleness: 20 }, /maxStaleness/],
    [{ maxStaleness: 86_401 }, /maxStaleness/],
    [{ feedTimeout: 0 }, /feedTimeout/],
    [{ feedTimeout: 31 }, /feedTimeout/],
    [{ feedTimeout: Number.NaN }, /feedTimeout/],
    [{ staleFeed: 'open' }, /staleFeed/],
    [{ mode: 'feeds' }, /mode/],
  ] as [Partial<RequireAuthOptions>, RegExp][])(
    '%o is refused at construction',
    (options, name) => {
      expect(() => createFeedHarness(options)).toThrow(TypeError)
      expect(() => createFeedHarness(options)).toThrow(name)
    },
  )

  test('a maxStaleness a healthy feed could outlive is warned about once', async () => {
    const warnings: string[] = []
    vi.spyOn(console, 'warn').mockImplementation(
      (line: unknown) => void warnings.push(String(line)),
    )
    const quiet = createFeedHarness()
    await quiet.serve({ seq: 1, ttl: 60 })
    await quiet.get(await quiet.token({ idx: 1 }))
    expect(warnings).toEqual([])
    const h = createFeedHarness({ maxStaleness: 90 })
    await h.serve({ seq: 1, ttl: 60 })
    const token = await h.token({ idx: 1 })
    for (let i = 0; i < 3; i++) {
      expect((await h.get(token)).status).toBe(200)
      h.advance(5)
      await h.settle()
    }
    expect(warnings.map((line) => JSON.parse(line))).toMatchObject([
      { level: 'warn', ttl: 60, feedInterval: 5, maxStaleness: 90 },
    ])
  })

  test('the defaults: 5 s interval, 120 s staleness, refuse', async () => {
    const h = createFeedHarness()
    await h.serve({ seq: 1 })
    const token = await h.token({ idx: 1 })
    expect((await h.get(token)).status).toBe(200)
    h.answerWith(() => new Response('down', { status: 500 }))
    captureErrorLog()
    h.advance(4)
    await h.get(token)
    expect(h.feedRequests).toHaveLength(1)
    h.advance(1)
    await h.get(token)
    await h.settle()
    expect(h.feedRequests).toHaveLength(2)
    h.advance(115)
    expect((await h.get(token)).status).toBe(200)
    h.clock.ms += 1
    expect(await h.get(token)).toMatchObject({ status: 503, retryAfter: '5' })
  })
})
