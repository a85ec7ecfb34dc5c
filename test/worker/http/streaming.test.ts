import { describe, expect, test } from 'vitest'
import { TRPCClientError, createTRPCClient, httpBatchStreamLink } from '@trpc/client'
import { createTestIssuer, failure, registerUser, send, signIn } from '../helpers/issuer.ts'
import type { AppRouter } from '../../../worker/trpc/app-router.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

// tRPC's streaming link (`trpc-accept: application/jsonl`) sends the response head before any
// procedure has run: a cookie sign-in's Set-Cookie, a 429's Retry-After and every error status
// would be lost (the answer is a 200 whatever happens). The auth procedures refuse it outright.
const origin = 'http://localhost:8787'

/** A stock `@trpc/client` on the streaming link, talking to the test issuer. */
function streamingClient(t: TestIssuer, headers: Record<string, string>) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchStreamLink({
        url: 'http://localhost/trpc',
        fetch: async (input, init) => t.app.request(input as string, init as RequestInit),
        headers,
      }),
    ],
  })
}

async function sessionCount(t: TestIssuer, userId: string): Promise<number> {
  const row = await t.issuer.store.listLiveSessions(userId, t.issuer.now())
  return row.length
}

describe('streaming responses (trpc-accept: application/jsonl)', () => {
  test('a cookie sign-in through httpBatchStreamLink is refused clearly and starts no session', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const error = await streamingClient(t, { origin })
      .auth.login.mutate({ ...user, delivery: 'cookie' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TRPCClientError)
    const { data, message } = error as TRPCClientError<AppRouter>
    expect(data?.reason).toBe('INVALID_INPUT')
    expect(message).toMatch(/stream/i)
    expect(await sessionCount(t, user.id)).toBe(0)
  })

  test.each(['auth.refresh', 'auth.logout', 'auth.register'])(
    'a raw jsonl request to %s is a 400 in plain JSON, not a streamed 200',
    async (path) => {
      const t = createTestIssuer()
      const result = await send(t.app, `/trpc/${path}?batch=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'trpc-accept': 'application/jsonl', origin },
        body: JSON.stringify({ 0: {} }),
      })
      expect(failure(result)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
      expect(result.headers.get('content-type')).toMatch(/^application\/json/)
      expect(result.headers.get('set-cookie')).toBeNull()
    },
  )

  test('Accept: application/jsonl on a batched cookie sign-in is refused the same way', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const result = await send(t.app, '/trpc/auth.login?batch=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/jsonl', origin },
      body: JSON.stringify({ 0: { ...user, delivery: 'cookie' } }),
    })
    expect(failure(result)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
    expect(result.headers.get('set-cookie')).toBeNull()
    expect(await sessionCount(t, user.id)).toBe(0)
  })

  test('queries outside auth.* still stream', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const client = streamingClient(t, { authorization: `Bearer ${pair.accessToken}` })
    const sessions = await client.sessions.list.query()
    expect(sessions.map((session) => session.id)).toEqual([pair.sessionId])
  })
})
