import type { TRPCBuiltRouter, inferRouterError } from '@trpc/server'
import type { appRouter } from './router.ts'

/**
 * The router's type as clients see it: every procedure's input and output, and the error shape
 * (`error.data.reason`). The server's context (the issuer with its store, keys and config) is
 * `object` here, so a client's declarations name no Cloudflare, Node or drizzle type; the package
 * build (tsdown.config.ts) keeps it out of the bundled `.d.ts` as well.
 */
export type AppRouter = TRPCBuiltRouter<
  {
    ctx: object
    meta: object
    errorShape: inferRouterError<typeof appRouter>
    transformer: false
  },
  (typeof appRouter)['_def']['record']
>
