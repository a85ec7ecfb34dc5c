import { authedProcedure, router } from './init.ts'

const RECENT_EVENTS = 50

export const auditRouter = router({
  /** The caller's own recent security events, newest first; times in epoch seconds. */
  list: authedProcedure.query(async ({ ctx }) => {
    const events = await ctx.issuer.store.listAudit(ctx.auth.session.userId, RECENT_EVENTS)
    return events.map((event) => ({ ...event, at: Math.floor(event.at / 1000) }))
  }),
})
