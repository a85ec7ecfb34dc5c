import { base64url } from 'jose'
import { MFA_CHALLENGE_ATTEMPTS, RotorError, normalizeRecoveryCode } from '../../contract/index.ts'
import { ipLimitKey } from '../guard/ip-key.ts'
import { assertAttemptAllowed } from '../guard/login-guard.ts'
import { assertMfaAvailable, hashRecoveryCode, openSecret, sameHash } from './mfa-secrets.ts'
import { matchingStep } from './totp.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'
import type { MfaChallengeRecord, MfaFactorRecord } from '../store/mfa-store.ts'

/** A second step's answer: a TOTP code, or one of the recovery codes. */
export type SecondFactorProof = { code: string } | { recoveryCode: string }

/** What a right code proved, for the caller's compare-and-set to claim. */
export type CheckedFactor = {
  userId: string
  proof: { step: number } | { codeHash: string }
  method: 'totp' | 'recovery-code'
  factor: MfaFactorRecord
  /** The sign-in challenge answered, and its stored hash (a challenge's check only). */
  challenge: (MfaChallengeRecord & { hash: string }) | undefined
  /** The user's second-factor counters, which a success resets. */
  clearRateLimitKeys: string[]
}

export type CheckFactorInput = {
  subject: { userId: string; sessionId?: string } | { challenge: string }
  proof: SecondFactorProof
  info: RequestInfo
  /** Named in the audit trail: what the code was for. */
  purpose: 'sign-in' | 'step-up' | 'confirm' | 'regenerate' | 'disable'
}

const ATTEMPT_PREFIX = 'mfa-attempt:'
const FAIL_PREFIX = 'mfa-fail:'

/**
 * Judges a second-factor code after the rate limits, in one round trip for the counters and the
 * factor (README: Second factor): the IP's attempts (`RATE_LIMIT_MFA_IP`) and the account's
 * attempts in flight and failures (`RATE_LIMIT_MFA_ACCOUNT`, with the sign-in back-off), counted
 * the way sign-in counts passwords; a challenge's own attempts too. A TOTP code must be right for
 * a time step within one of now and later than the last one used; a recovery code must be one of
 * the user's. Wrong, replayed and other users' codes are one answer, `MFA_CODE_INVALID`, and
 * count as failures; the last allowed wrong guess voids the challenge. `confirm` judges the
 * unconfirmed factor of an enrolment; every other purpose the confirmed one.
 */
export async function checkSecondFactor(
  issuer: Issuer,
  input: CheckFactorInput,
): Promise<CheckedFactor> {
  assertMfaAvailable(issuer.mfaKey)
  const { rateLimits } = issuer.config
  const now = issuer.now()
  const { subject } = input
  const challengeHash = 'challenge' in subject ? await hashChallenge(subject.challenge) : undefined
  const record = await issuer.store.beginMfaAttempt({
    subject: 'userId' in subject ? { userId: subject.userId } : { challengeHash: challengeHash! },
    ipKey: ipLimitKey('mfa', input.info.ip),
    attemptPrefix: ATTEMPT_PREFIX,
    failPrefix: FAIL_PREFIX,
    now,
    ipWindowMs: rateLimits.mfaIp.window * 1000,
    accountWindowMs: rateLimits.mfaAccount.window * 1000,
  })
  const challenge = record.challenge
  const userId = 'userId' in subject ? subject.userId : challenge?.userId
  const sessionId = 'userId' in subject ? subject.sessionId : undefined
  const attemptKey = `${ATTEMPT_PREFIX}${userId}`
  const refuse = async (error: RotorError): Promise<never> => {
    // Not a guess that was judged: the attempt is given back, as sign-in does.
    if (userId !== undefined) await issuer.store.refundLoginAttempt(attemptKey)
    throw error
  }
  if (userId === undefined || record.attempt === undefined) {
    throw challengeInvalid()
  }
  if (challenge && (challenge.expiresAt <= now || challenge.attempts > MFA_CHALLENGE_ATTEMPTS)) {
    return refuse(challengeInvalid())
  }
  try {
    assertAttemptAllowed(
      {
        ip: rateLimits.mfaIp,
        account: rateLimits.mfaAccount,
        backoffAfter: rateLimits.loginBackoffAfter,
      },
      { ip: record.ip, failures: record.failures, attempt: record.attempt },
      now,
    )
  } catch (error) {
    if (record.ip.count <= rateLimits.mfaIp.limit + 1) {
      const audit = { event: 'rate-limited', at: now, userId, sessionId, detail: 'mfa' } as const
      await issuer.store.recordAudit({ ...audit, ...input.info })
    }
    return refuse(error as RotorError)
  }
  const factor = record.factor
  const pending = input.purpose === 'confirm'
  if (!factor) return refuse(notEnrolled())
  if (pending && factor.confirmedAt !== null) {
    return refuse(new RotorError('MFA_ALREADY_ENROLLED', 'A second factor is already confirmed'))
  }
  if (!pending && factor.confirmedAt === null) return refuse(notEnrolled())

  const mfaKey = issuer.mfaKey
  let proof: CheckedFactor['proof'] | undefined
  if ('code' in input.proof) {
    const secret = await openSecret(mfaKey, userId, factor.secretBox)
    const step = matchingStep(secret, input.proof.code, now, factor.lastUsedStep)
    if (step !== undefined) proof = { step }
  } else if (!pending) {
    const code = normalizeRecoveryCode(input.proof.recoveryCode) ?? ''
    const hash = await hashRecoveryCode(mfaKey, userId, code)
    // Every stored hash is compared, whichever matches.
    const matches = record.recoveryCodeHashes.filter((stored) => sameHash(stored, hash))
    if (matches.length > 0) proof = { codeHash: hash }
  }
  if (proof === undefined) {
    const spent = challenge !== undefined && challenge.attempts >= MFA_CHALLENGE_ATTEMPTS
    await issuer.store.recordMfaFailure({
      failKey: `${FAIL_PREFIX}${userId}`,
      now,
      windowMs: rateLimits.mfaAccount.window * 1000,
      dropChallengeHash: spent ? challengeHash : undefined,
      audit: {
        event: 'mfa.failure',
        at: now,
        userId,
        sessionId,
        ...input.info,
        detail: input.purpose,
      },
    })
    throw codeInvalid()
  }
  return {
    userId,
    proof,
    method: 'step' in proof ? 'totp' : 'recovery-code',
    factor,
    challenge:
      challenge && challengeHash !== undefined ? { ...challenge, hash: challengeHash } : undefined,
    clearRateLimitKeys: [attemptKey, `${FAIL_PREFIX}${userId}`],
  }
}

/** The stored form of a sign-in challenge: its SHA-256 (256 random bits need no key). */
export async function hashChallenge(challenge: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(challenge))
  return base64url.encode(new Uint8Array(digest))
}

export function codeInvalid(message = 'That code is wrong or was already used'): RotorError {
  return new RotorError('MFA_CODE_INVALID', message)
}

export function challengeInvalid(): RotorError {
  return new RotorError(
    'MFA_CHALLENGE_INVALID',
    'This sign-in has expired or was already completed; sign in again',
  )
}

function notEnrolled(): RotorError {
  return new RotorError('MFA_NOT_ENROLLED', 'No second factor is set up for this account')
}
