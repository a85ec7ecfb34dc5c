import { RotorError } from '../../contract/index.ts'
import { checkCredentials } from '../sessions/credentials.ts'
import { checkSecondFactor } from './check-factor.ts'
import { assertMfaAvailable, sealSecret } from './mfa-secrets.ts'
import { generateRecoveryCodes } from './recovery-codes.ts'
import { enrolmentUri, generateTotpSecret } from './totp.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'

/** Who is enrolling: the signed-in session's user. */
export type MfaAccount = { id: string; userId: string; email: string }

/** What an authenticator app needs, shown once: never returned again after enrolment. */
export type TotpEnrolment = {
  /** `otpauth://totp/…` with the secret, for apps that take a link. */
  uri: string
  /** The same URI as an SVG QR code. */
  qrSvg: string
  /** The secret in base32, for typing in by hand. */
  secret: string
}

/**
 * `mfa.enrollTotp`: after the password (sign-in's checks and limits, so a stolen access token can
 * neither guess it nor lock the owner out with a factor of the thief's), a new TOTP secret, sealed
 * and stored unconfirmed (replacing an earlier unconfirmed one). `MFA_ALREADY_ENROLLED` while a
 * confirmed factor exists.
 */
export async function enrollTotp(
  issuer: Issuer,
  account: MfaAccount,
  input: { password: string },
  info: RequestInfo,
): Promise<TotpEnrolment> {
  assertMfaAvailable(issuer.mfaKey)
  const { user, secondFactor, clearRateLimitKeys } = await checkCredentials(
    issuer,
    { email: account.email, password: input.password },
    info,
    { upgrade: false },
  )
  if (user.id !== account.userId) {
    throw new RotorError('INVALID_CREDENTIALS', 'Password is incorrect')
  }
  if (secondFactor) throw alreadyEnrolled()
  const secret = generateTotpSecret()
  const now = issuer.now()
  const saved = await issuer.store.savePendingFactor({
    userId: user.id,
    secretBox: await sealSecret(issuer.mfaKey, user.id, secret),
    now,
    clearRateLimitKeys,
    audit: { event: 'mfa.enroll', at: now, userId: user.id, sessionId: account.id, ...info },
  })
  if (saved === 'enrolled') throw alreadyEnrolled()
  const { uri, qrSvg } = enrolmentUri(new URL(issuer.config.issuer).host, user.email, secret)
  return { uri, qrSvg, secret: new URL(uri).searchParams.get('secret')! }
}

/**
 * `mfa.confirmTotp`: the enrolment's first right code confirms it (that step is then used), and
 * the user gets `RECOVERY_CODE_COUNT` recovery codes, shown this once. Refused with
 * `MFA_ALREADY_ENROLLED` once confirmed, `MFA_NOT_ENROLLED` without an enrolment.
 */
export async function confirmTotp(
  issuer: Issuer,
  account: MfaAccount,
  input: { code: string },
  info: RequestInfo,
): Promise<{ recoveryCodes: string[] }> {
  const checked = await checkSecondFactor(issuer, {
    subject: { userId: account.userId, sessionId: account.id },
    proof: input,
    info,
    purpose: 'confirm',
  })
  if (!('step' in checked.proof)) throw alreadyEnrolled()
  const { codes, hashes } = await generateRecoveryCodes(issuer.mfaKey, account.userId)
  const now = issuer.now()
  const confirmed = await issuer.store.confirmFactor({
    userId: account.userId,
    factorCreatedAt: checked.factor.createdAt,
    step: checked.proof.step,
    codeHashes: hashes,
    now,
    clearRateLimitKeys: checked.clearRateLimitKeys,
    audit: {
      event: 'mfa.confirm',
      at: now,
      userId: account.userId,
      sessionId: account.id,
      ...info,
    },
  })
  // A racing confirmation (or a new enrolment) got there first.
  if (!confirmed) throw alreadyEnrolled()
  return { recoveryCodes: codes }
}

function alreadyEnrolled(): RotorError {
  return new RotorError(
    'MFA_ALREADY_ENROLLED',
    'A second factor is already confirmed; disable it before enrolling another',
  )
}
