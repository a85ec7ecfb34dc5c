import { MFA_CHALLENGE_ATTEMPTS, RotorError } from '../../contract/index.ts'
import { checkCredentials } from '../sessions/credentials.ts'
import { checkSecondFactor, codeInvalid } from './check-factor.ts'
import { generateRecoveryCodes } from './recovery-codes.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'
import type { CheckedFactor, SecondFactorProof } from './check-factor.ts'
import type { MfaAccount } from './enroll.ts'

/** `mfa.status`: whether a factor is confirmed (or only started) and how many codes are left. */
export async function mfaStatus(issuer: Issuer, userId: string) {
  const { factor, recoveryCodesLeft } = await issuer.store.readMfaStatus(userId)
  const confirmedAt = factor?.confirmedAt ?? null
  return {
    enrolled: confirmedAt !== null,
    pending: factor !== undefined && confirmedAt === null,
    confirmedAt: confirmedAt === null ? null : Math.floor(confirmedAt / 1000),
    recoveryCodesLeft,
  }
}

/**
 * `mfa.regenerateRecoveryCodes`: with a current code (TOTP or recovery), `RECOVERY_CODE_COUNT`
 * new recovery codes, shown this once; every earlier one is void.
 */
export async function regenerateRecoveryCodes(
  issuer: Issuer,
  account: MfaAccount,
  proof: SecondFactorProof,
  info: RequestInfo,
): Promise<{ recoveryCodes: string[] }> {
  const checked = await checkAndClaim(issuer, account, proof, info, 'regenerate')
  const { codes, hashes } = await generateRecoveryCodes(issuer.mfaKey, account.userId)
  const now = issuer.now()
  await issuer.store.replaceRecoveryCodes({
    userId: account.userId,
    codeHashes: hashes,
    now,
    clearRateLimitKeys: checked.clearRateLimitKeys,
    audit: {
      event: 'mfa.recovery-codes',
      at: now,
      userId: account.userId,
      sessionId: account.id,
      ...info,
    },
  })
  return { recoveryCodes: codes }
}

/**
 * `mfa.disable`: with the password (sign-in's checks and limits) and a current code, the factor,
 * its recovery codes and pending sign-ins are removed and every other session of the user is
 * signed out, in one batch. Returns how many sessions ended.
 */
export async function disableMfa(
  issuer: Issuer,
  account: MfaAccount,
  input: { password: string } & SecondFactorProof,
  info: RequestInfo,
): Promise<number> {
  const { password, ...proof } = input
  const { user, clearRateLimitKeys } = await checkCredentials(
    issuer,
    { email: account.email, password },
    info,
    { upgrade: false },
  )
  if (user.id !== account.userId) {
    throw new RotorError('INVALID_CREDENTIALS', 'Password is incorrect')
  }
  const checked = await checkAndClaim(issuer, account, proof, info, 'disable')
  const now = issuer.now()
  return issuer.store.disableFactor({
    userId: account.userId,
    keepSessionId: account.id,
    now,
    clearRateLimitKeys: [...clearRateLimitKeys, ...checked.clearRateLimitKeys],
    audit: {
      event: 'mfa.disable',
      at: now,
      userId: account.userId,
      sessionId: account.id,
      ...info,
    },
  })
}

/** A right code of the user's confirmed factor, claimed so it works no more. */
async function checkAndClaim(
  issuer: Issuer,
  account: MfaAccount,
  proof: SecondFactorProof,
  info: RequestInfo,
  purpose: 'regenerate' | 'disable',
): Promise<CheckedFactor> {
  const checked = await checkSecondFactor(issuer, {
    subject: { userId: account.userId, sessionId: account.id },
    proof,
    info,
    purpose,
  })
  const now = issuer.now()
  const { claimed } = await issuer.store.claimMfaCode({
    userId: account.userId,
    proof: checked.proof,
    now,
    maxChallengeAttempts: MFA_CHALLENGE_ATTEMPTS,
    audit: {
      event: 'mfa.recovery-code',
      at: now,
      userId: account.userId,
      sessionId: account.id,
      ...info,
    },
  })
  if (!claimed) throw codeInvalid()
  return checked
}
