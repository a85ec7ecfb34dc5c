import { RotorError } from '../../contract/index.ts'
import { assuranceOf } from '../sessions/assurance.ts'
import { clientIdOf } from '../sessions/client-id.ts'
import { enforceRevokeLimit, revokeSessions } from '../sessions/revoke-sessions.ts'
import { emailVerifiedOf } from './auth-router.ts'
import { authedProcedure, router } from './init.ts'
import { revokeSessionInput } from './inputs.ts'

const seconds = (ms: number) => Math.floor(ms / 1000)

function assuranceFields(session: Parameters<typeof assuranceOf>[0]) {
  const { amr, acr, auth_time } = assuranceOf(session)
  return { amr: amr ?? [], acr: acr ?? null, authTime: auth_time ?? seconds(session.createdAt) }
}

export const sessionsRouter = router({
  /** The caller's live sessions, most recently used first; times in epoch seconds. */
  list: authedProcedure.query(async ({ ctx }) => {
    const { session: current } = ctx.auth
    const sessions = await ctx.issuer.store.listLiveSessions(current.userId, ctx.issuer.now())
    const user = { id: current.userId, email: current.email, ...emailVerifiedOf(current) }
    return sessions.map((session) => ({
      user,
      id: session.id,
      deviceName: session.deviceName,
      clientId: clientIdOf(ctx.issuer.config, session),
      createdAt: seconds(session.createdAt),
      lastUsedAt: seconds(session.lastUsedAt),
      userAgent: session.userAgent,
      current: session.id === current.id,
      idleExpiresAt: seconds(session.idleExpiresAt),
      absoluteExpiresAt: seconds(session.absoluteExpiresAt),
      country: session.country,
      // How the session's user signed in, as its access tokens say (README: Second factor).
      ...assuranceFields(session),
      flagged:
        session.flaggedAt === null
          ? null
          : { at: seconds(session.flaggedAt), reason: session.flagReason },
    }))
  }),

  /** Signs out one of the caller's own sessions (a lost device); others' look the same as unknown. */
  revoke: authedProcedure.input(revokeSessionInput).mutation(async ({ ctx, input }) => {
    await enforceRevokeLimit(ctx.issuer, ctx.info)
    const { found } = await revokeSessions(
      ctx.issuer,
      { reason: 'revoked', sessionId: input.sessionId, userId: ctx.auth.session.userId },
      ctx.info,
    )
    if (!found) throw new RotorError('SESSION_NOT_FOUND', 'No such session')
    return { ok: true as const }
  }),
})
