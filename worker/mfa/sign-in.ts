import { base64url } from 'jose'
import { AMR, MFA_CHALLENGE_ATTEMPTS, MFA_CHALLENGE_TTL, RotorError } from '../../contract/index.ts'
import { parseAmr } from '../sessions/assurance.ts'
import { startSession } from '../sessions/start-session.ts'
import { challengeInvalid, checkSecondFactor, codeInvalid, hashChallenge } from './check-factor.ts'
import { assertMfaAvailable } from './mfa-secrets.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'
import type { StartSessionInput } from '../sessions/start-session.ts'
import type { TokenPair } from '../sessions/token-pair.ts'
import type { RefreshTokenDelivery } from '../tokens/refresh-token.ts'
import type { CheckedFactor, SecondFactorProof } from './check-factor.ts'

/**
 * Every sign-in's last step (README: Second factor): a session at once for a user without a
 * confirmed second factor; for one with a factor, no session but a challenge bound to this
 * sign-in (user, client, delivery, device, the methods so far), stored hashed, thrown as
 * `MFA_REQUIRED` with `mfa: { challenge, expiresAt, methods }` for `auth.verifyMfa`.
 */
export async function startSignIn(
  issuer: Issuer,
  input: StartSessionInput & { secondFactor: boolean },
): Promise<TokenPair & { refreshToken: string }> {
  if (!input.secondFactor) return startSession(issuer, input)
  assertMfaAvailable(issuer.mfaKey)
  const now = issuer.now()
  const challenge = base64url.encode(crypto.getRandomValues(new Uint8Array(32)))
  const expiresAt = now + MFA_CHALLENGE_TTL * 1000
  await issuer.store.createMfaChallenge({
    challenge: {
      idHash: await hashChallenge(challenge),
      userId: input.user.id,
      clientId: input.clientId,
      delivery: input.delivery,
      deviceName: input.deviceName ?? null,
      amr: JSON.stringify(input.amr),
      event: input.event,
      auditDetail: input.auditDetail ?? null,
      credentialsSeen: input.user.credentialsChangedAt ?? null,
      createdAt: now,
      expiresAt,
    },
    clearRateLimitKeys: input.clearRateLimitKeys ?? [],
    passwordHash: input.passwordHash,
    audit: { event: 'mfa.challenge', at: now, userId: input.user.id, ...input.info },
  })
  throw new RotorError('MFA_REQUIRED', 'Enter the code from your authenticator app', {
    mfa: {
      challenge,
      expiresAt: Math.floor(expiresAt / 1000),
      methods: ['totp', 'recovery_code'],
    },
  })
}

/**
 * What a sign-in that checked no password here (a legacy token, an ID token) needs to know before
 * `startSignIn`: whether the user has a confirmed factor, and the credentials' state it saw.
 */
export async function signInFacts(issuer: Issuer, userId: string) {
  const { factor, credentialsChangedAt } = await issuer.store.readMfaStatus(userId)
  return { secondFactor: (factor?.confirmedAt ?? null) !== null, credentialsChangedAt }
}

/** A sign-in challenge answered with a right code, not yet claimed: see `completeSignIn`. */
export type AnsweredChallenge = CheckedFactor & {
  challenge: NonNullable<CheckedFactor['challenge']>
  /** How the session's refresh token travels, as the first step chose. */
  delivery: RefreshTokenDelivery
}

/** `auth.verifyMfa`'s check: the challenge and the code, before anything is claimed. */
export async function answerChallenge(
  issuer: Issuer,
  input: { challenge: string } & SecondFactorProof,
  info: RequestInfo,
): Promise<AnsweredChallenge> {
  const { challenge, ...proof } = input
  const checked = await checkSecondFactor(issuer, {
    subject: { challenge },
    proof,
    info,
    purpose: 'sign-in',
  })
  if (!checked.challenge) throw challengeInvalid()
  const delivery = checked.challenge.delivery === 'cookie' ? 'cookie' : 'body'
  return { ...checked, challenge: checked.challenge, delivery }
}

/**
 * Claims the answered challenge and its code together (one compare-and-set: a challenge or a code
 * used once works no more) and starts the session the first step described, its `amr` now with
 * `otp` and `mfa`, exactly as a sign-in without a second factor would have. A password reset
 * since the first step voids it.
 */
export async function completeSignIn(
  issuer: Issuer,
  answered: AnsweredChallenge,
  info: RequestInfo,
): Promise<{ pair: TokenPair & { refreshToken: string }; recoveryCodesLeft: number }> {
  const { challenge, userId } = answered
  const now = issuer.now()
  if (challenge.credentialsSeen !== challenge.credentialsChangedAt) {
    throw new RotorError('INVALID_CREDENTIALS', 'Your credentials changed; sign in again')
  }
  const { claimed, recoveryCodesLeft } = await issuer.store.claimMfaCode({
    userId,
    proof: answered.proof,
    challengeHash: challenge.hash,
    now,
    maxChallengeAttempts: MFA_CHALLENGE_ATTEMPTS,
    audit: { event: 'mfa.recovery-code', at: now, userId, ...info },
  })
  if (!claimed) throw codeInvalid()
  const amr = withSecondFactor(parseAmr(challenge.amr))
  const detail = [challenge.auditDetail, `mfa ${answered.method}`].filter(Boolean).join(', ')
  const pair = await startSession(issuer, {
    user: {
      id: userId,
      email: challenge.email,
      emailVerified: challenge.emailVerified,
      credentialsChangedAt: challenge.credentialsChangedAt,
    },
    deviceName: challenge.deviceName ?? undefined,
    clientId: challenge.clientId,
    info,
    event: challenge.event as StartSessionInput['event'],
    auditDetail: detail.slice(0, 200),
    delivery: answered.delivery,
    clearRateLimitKeys: answered.clearRateLimitKeys,
    amr,
  })
  return { pair, recoveryCodesLeft }
}

/** A session's methods once a second factor is shown: `otp` and `mfa` added, each once. */
export function withSecondFactor(amr: readonly string[]): string[] {
  return [...new Set([...amr, AMR.oneTimeCode, AMR.multiFactor])]
}
