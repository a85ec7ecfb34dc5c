import { auditRouter } from './audit-router.ts'
import { authRouter } from './auth-router.ts'
import { router } from './init.ts'
import { sessionsRouter } from './sessions-router.ts'

export const appRouter = router({
  audit: auditRouter,
  auth: authRouter,
  sessions: sessionsRouter,
})

/** The router's type: all that `client/` imports from the worker. */
export type AppRouter = typeof appRouter
