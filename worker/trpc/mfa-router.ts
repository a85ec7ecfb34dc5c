import { confirmTotp, enrollTotp } from '../mfa/enroll.ts'
import { disableMfa, mfaStatus, regenerateRecoveryCodes } from '../mfa/manage.ts'
import { answerChallenge, completeSignIn } from '../mfa/sign-in.ts'
import { stepUp } from '../mfa/step-up.ts'
import { beginSignIn, deliverSignIn } from './auth-router.ts'
import { publicProcedure, router, sessionProcedure } from './init.ts'
import {
  confirmTotpInput,
  disableMfaInput,
  enrollTotpInput,
  mfaProofInput,
  verifyMfaInput,
} from './inputs.ts'

/** The second factor's own procedures (README: Second factor), all for a signed-in session. */
export const mfaRouter = router({
  status: sessionProcedure.query(({ ctx }) => mfaStatus(ctx.issuer, ctx.auth.session.userId)),

  enrollTotp: sessionProcedure
    .input(enrollTotpInput)
    .mutation(({ ctx, input }) => enrollTotp(ctx.issuer, ctx.auth.session, input, ctx.info)),

  confirmTotp: sessionProcedure.input(confirmTotpInput).mutation(async ({ ctx, input }) => ({
    ok: true as const,
    ...(await confirmTotp(ctx.issuer, ctx.auth.session, input, ctx.info)),
  })),

  regenerateRecoveryCodes: sessionProcedure
    .input(mfaProofInput)
    .mutation(async ({ ctx, input }) => ({
      ok: true as const,
      ...(await regenerateRecoveryCodes(ctx.issuer, ctx.auth.session, input, ctx.info)),
    })),

  disable: sessionProcedure.input(disableMfaInput).mutation(async ({ ctx, input }) => ({
    ok: true as const,
    revoked: await disableMfa(ctx.issuer, ctx.auth.session, input, ctx.info),
  })),
})

/** `auth.*` procedures of the second factor: the second step of a sign-in, and step-up. */
export const mfaAuthRouter = router({
  /** Completes a sign-in answered with MFA_REQUIRED: the token pair, delivered as chosen then. */
  verifyMfa: publicProcedure.input(verifyMfaInput).mutation(async ({ ctx, input }) => {
    const answered = await answerChallenge(ctx.issuer, input, ctx.info)
    const replaced = beginSignIn(ctx, answered.delivery)
    const { pair, recoveryCodesLeft } = await completeSignIn(ctx.issuer, answered, ctx.info)
    const delivered = await deliverSignIn(ctx, pair, answered.delivery, replaced)
    return answered.method === 'recovery-code' ? { ...delivered, recoveryCodesLeft } : delivered
  }),

  /** Re-verifies a code inside the caller's session: new `auth_time`, `amr` with `otp`. */
  stepUp: sessionProcedure
    .input(mfaProofInput)
    .mutation(({ ctx, input }) => stepUp(ctx.issuer, ctx.auth.session, input, ctx.info)),
})
