import { confirmEmailChange, requestEmailChange } from '../recovery/change-email.ts'
import { requestPasswordReset, resetPassword } from '../recovery/reset-password.ts'
import { requestEmailVerification, verifyEmail } from '../recovery/verify-email.ts'
import { authedProcedure, publicProcedure, router } from './init.ts'
import {
  confirmEmailChangeInput,
  emailOnlyInput,
  requestEmailChangeInput,
  resetPasswordInput,
  verifyEmailInput,
} from './inputs.ts'

/** `auth.*` procedures of password reset, email verification and email change. */
export const recoveryRouter = router({
  /** Always `{ ok: true }`, whether or not the address has an account. */
  requestPasswordReset: publicProcedure.input(emailOnlyInput).mutation(async ({ ctx, input }) => {
    await requestPasswordReset(ctx.issuer, input, ctx.info)
    return { ok: true as const }
  }),

  /** Every session of the user is signed out: `revoked` counts them. */
  resetPassword: publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => ({
    ok: true as const,
    revoked: await resetPassword(ctx.issuer, input, ctx.info),
  })),

  /** Always `{ ok: true }`: unknown and already verified addresses get no code, and no sign of it. */
  requestEmailVerification: publicProcedure
    .input(emailOnlyInput)
    .mutation(async ({ ctx, input }) => {
      await requestEmailVerification(ctx.issuer, input, ctx.info)
      return { ok: true as const }
    }),

  verifyEmail: publicProcedure.input(verifyEmailInput).mutation(async ({ ctx, input }) => {
    await verifyEmail(ctx.issuer, input, ctx.info)
    return { ok: true as const, emailVerified: true as const }
  }),

  requestEmailChange: authedProcedure
    .input(requestEmailChangeInput)
    .mutation(async ({ ctx, input }) => {
      await requestEmailChange(ctx.issuer, ctx.auth.session, input, ctx.info)
      return { ok: true as const }
    }),

  confirmEmailChange: authedProcedure
    .input(confirmEmailChangeInput)
    .mutation(async ({ ctx, input }) => ({
      ok: true as const,
      email: await confirmEmailChange(ctx.issuer, ctx.auth.session, input, ctx.info),
    })),
})
