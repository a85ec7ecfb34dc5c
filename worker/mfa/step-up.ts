import { acrOf } from '../../contract/index.ts'
import { parseAmr } from '../sessions/assurance.ts'
import { issueTokenPair } from '../sessions/token-pair.ts'
import { checkSecondFactor, codeInvalid } from './check-factor.ts'
import { withSecondFactor } from './sign-in.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'
import type { SessionWithUser } from '../store/session-store.ts'
import type { SecondFactorProof } from './check-factor.ts'

/** What a step-up answers: a fresh access token carrying the session's new assurance. */
export type StepUpResult = {
  accessToken: string
  accessTokenExpiresAt: number
  amr: string[]
  acr: string
  /** Epoch seconds: now. */
  authTime: number
  recoveryCodesLeft: number
}

/**
 * `auth.stepUp`: a current code re-verified inside a live session moves its `auth_time` to now
 * and adds `otp` and `mfa` to its `amr` (so `acr` becomes two-factor), with no new session; the
 * access token returned carries them at once, and every refresh after keeps them.
 */
export async function stepUp(
  issuer: Issuer,
  session: SessionWithUser,
  proof: SecondFactorProof,
  info: RequestInfo,
): Promise<StepUpResult> {
  const checked = await checkSecondFactor(issuer, {
    subject: { userId: session.userId, sessionId: session.id },
    proof,
    info,
    purpose: 'step-up',
  })
  const now = issuer.now()
  const amr = withSecondFactor(parseAmr(session.amr))
  const acr = acrOf(amr)
  const { claimed, recoveryCodesLeft } = await issuer.store.stepUpSession({
    userId: session.userId,
    sessionId: session.id,
    proof: checked.proof,
    amr: JSON.stringify(amr),
    acr,
    now,
    clearRateLimitKeys: checked.clearRateLimitKeys,
    audit: {
      event: 'mfa.step-up',
      at: now,
      userId: session.userId,
      sessionId: session.id,
      ...info,
    },
  })
  if (!claimed) throw codeInvalid()
  const stepped = { ...session, amr: JSON.stringify(amr), acr, authTime: now }
  const user = { id: session.userId, email: session.email, emailVerified: session.emailVerified }
  // Only the access token is new: the session's refresh token is untouched (none is minted).
  const { accessToken, accessTokenExpiresAt } = await issueTokenPair(issuer, stepped, user, '')
  return {
    accessToken,
    accessTokenExpiresAt,
    amr,
    acr,
    authTime: Math.floor(now / 1000),
    recoveryCodesLeft,
  }
}
