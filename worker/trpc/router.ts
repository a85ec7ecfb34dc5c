import { auditRouter } from './audit-router'
import { authRouter } from './auth-router'
import { router } from './init'
import { sessionsRouter } from './sessions-router'

export const appRouter = router({
  audit: auditRouter,
  auth: authRouter,
  sessions: sessionsRouter,
})

/** The router's type: all that `client/` imports from the worker. */
export type AppRouter = typeof appRouter
