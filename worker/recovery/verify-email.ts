import { RotorError } from '../../contract/index.ts'
import { normalizeEmail } from '../sessions/email.ts'
import { checkCode } from './check-code.ts'
import { requestCode } from './request-code.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'

/**
 * Mails a verification code to an address not yet verified: at registration and on request
 * (`auth.requestEmailVerification`, public, since an unverified user may be unable to sign in).
 * The answer is the same for unknown and already verified addresses.
 */
export async function requestEmailVerification(
  issuer: Issuer,
  input: { email: string },
  info: RequestInfo,
): Promise<void> {
  const email = normalizeEmail(input.email)
  await requestCode(issuer, {
    purpose: 'verify',
    account: { email },
    target: email,
    info,
    delivery: 'background',
  })
}

/**
 * Registration's code: best effort, since the account exists by now — a send that is refused
 * (limits, no transport) leaves the user to ask again. Nothing happens with no transport.
 */
export async function sendVerificationAfterRegister(
  issuer: Issuer,
  user: { id: string; email: string },
  info: RequestInfo,
): Promise<void> {
  if (issuer.config.mail.transport === 'off') return
  try {
    await requestCode(issuer, {
      purpose: 'verify',
      account: { userId: user.id },
      target: user.email,
      info,
      delivery: 'background',
    })
  } catch (error) {
    if (!(error instanceof RotorError)) throw error
  }
}

/** `auth.verifyEmail`: the live verification code marks the address verified. */
export async function verifyEmail(
  issuer: Issuer,
  input: { email: string; code: string },
  info: RequestInfo,
): Promise<void> {
  const email = normalizeEmail(input.email)
  const code = await checkCode(issuer, {
    purpose: 'verify',
    account: { email },
    limitEmail: email,
    code: input.code,
    info,
  })
  const now = issuer.now()
  const consumed = await issuer.store.consumeVerify({
    userId: code.userId,
    codeHash: code.codeHash,
    now,
    audit: { event: 'email.verify', at: now, userId: code.userId, ...info },
  })
  if (!consumed) throw new RotorError('CODE_INVALID', 'That code is no longer valid')
}

/** Refuses a sign-in while the address is unverified, when `REQUIRE_EMAIL_VERIFIED` is on. */
export function assertMaySignIn(issuer: Issuer, user: { emailVerified?: boolean | number }): void {
  if (issuer.config.requireEmailVerified && !user.emailVerified) {
    throw new RotorError(
      'EMAIL_NOT_VERIFIED',
      'Verify your email address first: auth.requestEmailVerification sends a code',
    )
  }
}
