import { createTRPCClient, httpBatchLink } from '@trpc/client'
import { initTRPC } from '@trpc/server'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { requireAuth } from '../../../verify/index.ts'
import { bearerHeaders, createAuthLink } from '../../../client/index.ts'
import type { AccessTokenSource } from '../../../client/index.ts'
import type { RotorVariables } from '../../../verify/index.ts'
import type { TestIssuer } from '../../worker/helpers/issuer.ts'

const t = initTRPC.context<{ sub: string }>().create()
const router = t.router({ whoami: t.procedure.query(({ ctx }) => ({ sub: ctx.sub })) })

export type ApiOptions = {
  mode: 'stateless' | 'strict'
  /** The resource worker's clock, epoch ms: one running ahead sees fresh tokens as expired. */
  now: () => number
}

/**
 * An application's own tRPC API in a resource worker guarded by rotor/verify (service binding to
 * the test issuer), and a client of it that carries `tokens`' access tokens through the auth link.
 */
export function createAppApi(issuer: TestIssuer, tokens: AccessTokenSource, options: ApiOptions) {
  const app = new Hono<{ Variables: RotorVariables }>()
  app.use(
    '/api/*',
    requireAuth({
      issuer: 'http://localhost:8787',
      audience: 'rotor',
      jwks: { fetch: async (input, init) => issuer.app.fetch(new Request(input, init)) },
      mode: options.mode,
      introspectionSecret: env.INTROSPECTION_SECRET,
      now: options.now,
    }),
  )
  app.all('/api/*', (c) =>
    fetchRequestHandler({
      endpoint: '/api',
      req: c.req.raw,
      router,
      createContext: () => ({ sub: c.get('rotor').sub }),
    }),
  )
  return createTRPCClient<typeof router>({
    links: [
      createAuthLink({ tokens }),
      httpBatchLink({
        url: 'https://api.test/api',
        headers: bearerHeaders,
        fetch: async (input, init) => app.fetch(new Request(String(input), init as RequestInit)),
      }),
    ],
  })
}
