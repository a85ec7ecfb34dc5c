import { auditRouter } from './audit-router.ts'
import { authRouter } from './auth-router.ts'
import { router } from './init.ts'
import { sessionsRouter } from './sessions-router.ts'

export const appRouter = router({
  audit: auditRouter,
  auth: authRouter,
  sessions: sessionsRouter,
})

/** The router's type with its server context; `client/` takes `AppRouter` from app-router.ts. */
export type AppRouter = typeof appRouter
