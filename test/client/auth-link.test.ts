import { createTRPCClient, httpBatchLink, httpLink } from '@trpc/client'
import { TRPCError, initTRPC } from '@trpc/server'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { decodeJwt } from 'jose'
import { describe, expect, test } from 'vitest'
import { bearerHeaders, createAuthLink } from '../../client/index.ts'
import { createHarness } from './helpers/harness.ts'

/**
 * An application's own tRPC API on real @trpc/server, trusting Rotor's access tokens. Like most
 * APIs it answers a bad token with a bare UNAUTHORIZED: no Rotor reason in the error.
 */
function createAppApi(serverNow: () => number) {
  const t = initTRPC.context<{ authorization: string | null }>().create()
  const router = t.router({
    whoami: t.procedure.query(({ ctx }) => {
      const token = ctx.authorization?.replace(/^Bearer /, '')
      const claims = token ? decodeJwt(token) : undefined
      if (!claims || (claims.exp ?? 0) * 1000 <= serverNow())
        throw new TRPCError({ code: 'UNAUTHORIZED' })
      return { sub: claims.sub }
    }),
    crash: t.procedure.query(() => {
      throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR' })
    }),
  })
  const seen: (string | null)[] = []
  const fetch = async (url: unknown, init?: unknown) => {
    const req = new Request(String(url), init as RequestInit)
    seen.push(req.headers.get('authorization'))
    return fetchRequestHandler({
      endpoint: '/api',
      req,
      router,
      createContext: () => ({ authorization: req.headers.get('authorization') }),
    })
  }
  return { router, fetch, seen }
}

type AppRouter = ReturnType<typeof createAppApi>['router']

describe('the auth link on an application API', () => {
  test('attaches the bearer, refreshes through Rotor on a bare 401, retries once', async () => {
    const { server, signedIn, setSkew, advance } = createHarness()
    const rotor = await signedIn()
    const app = createAppApi(server.now)
    const api = createTRPCClient<AppRouter>({
      links: [
        createAuthLink({ tokens: rotor }),
        httpBatchLink({ url: 'https://app.test/api', fetch: app.fetch, headers: bearerHeaders }),
      ],
    })
    await expect(api.whoami.query()).resolves.toEqual({ sub: rotor.getSession()!.user.id })
    setSkew(-3600)
    advance(1000)
    await expect(api.whoami.query()).resolves.toEqual({ sub: rotor.getSession()!.user.id })
    expect(server.refreshCount()).toBe(1)
    expect(app.seen).toHaveLength(3)
    expect(app.seen[1]).not.toBe(app.seen[2])
  })

  test('passes other errors through without refreshing', async () => {
    const { server, signedIn } = createHarness()
    const rotor = await signedIn()
    const app = createAppApi(server.now)
    const api = createTRPCClient<AppRouter>({
      links: [
        createAuthLink({ tokens: rotor }),
        httpLink({ url: 'https://app.test/api', fetch: app.fetch, headers: bearerHeaders }),
      ],
    })
    await expect(api.crash.query()).rejects.toMatchObject({ data: { httpStatus: 500 } })
    expect(server.refreshCount()).toBe(0)
    expect(app.seen).toHaveLength(1)
  })

  test('works with any token source, and sends no header when it has no token', async () => {
    const { server } = createHarness()
    const app = createAppApi(server.now)
    const recovered: string[] = []
    const api = createTRPCClient<AppRouter>({
      links: [
        createAuthLink({
          tokens: {
            getAccessToken: async () => null,
            recover: async (token) => (recovered.push(token), null),
          },
        }),
        httpLink({ url: 'https://app.test/api', fetch: app.fetch, headers: bearerHeaders }),
      ],
    })
    await expect(api.whoami.query()).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } })
    expect(app.seen).toEqual([null])
    expect(recovered).toEqual([])
  })
})
