import { auditRouter } from './audit-router.ts'
import { authRouter } from './auth-router.ts'
import { mergeRouters, router } from './init.ts'
import { mfaAuthRouter, mfaRouter } from './mfa-router.ts'
import { recoveryRouter } from './recovery-router.ts'
import { sessionsRouter } from './sessions-router.ts'

export const appRouter = router({
  audit: auditRouter,
  // auth.* procedures of account recovery live in their own file (README: Recovery and verification).
  auth: mergeRouters(authRouter, recoveryRouter, mfaAuthRouter),
  mfa: mfaRouter,
  sessions: sessionsRouter,
})

/** The router's type with its server context; `client/` takes `AppRouter` from app-router.ts. */
export type AppRouter = typeof appRouter
