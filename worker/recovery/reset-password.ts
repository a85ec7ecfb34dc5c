import { RotorError } from '../../contract/index.ts'
import { loginKeys } from '../guard/login-guard.ts'
import { composeMessage } from '../mail/message.ts'
import { hashPassword } from '../passwords/password-hash.ts'
import { assertStrongPassword } from '../passwords/password-policy.ts'
import { normalizeEmail } from '../sessions/email.ts'
import { checkCode } from './check-code.ts'
import { requestCode, sendNotice } from './request-code.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'

/**
 * `auth.requestPasswordReset`: mails a reset code when the address has an account. The answer,
 * and the work before it, are the same when it has none (README: Recovery and verification).
 */
export async function requestPasswordReset(
  issuer: Issuer,
  input: { email: string },
  info: RequestInfo,
): Promise<void> {
  const email = normalizeEmail(input.email)
  await requestCode(issuer, {
    purpose: 'reset',
    account: { email },
    target: email,
    info,
    delivery: 'background',
  })
}

/**
 * `auth.resetPassword`: with the live code, the new password (policy-checked) replaces the old in
 * one batch that consumes the code, signs out every session, refuses legacy tokens issued before,
 * clears the sign-in lock-out and audits; then a "password changed" notice goes out. Returns how
 * many sessions ended.
 */
export async function resetPassword(
  issuer: Issuer,
  input: { email: string; code: string; newPassword: string },
  info: RequestInfo,
): Promise<number> {
  const email = normalizeEmail(input.email)
  assertStrongPassword(input.newPassword, email)
  const code = await checkCode(issuer, {
    purpose: 'reset',
    account: { email },
    limitEmail: email,
    code: input.code,
    info,
  })
  const passwordHash = await hashPassword(input.newPassword)
  const { attemptKey, failKey } = await loginKeys(email, info.ip)
  const now = issuer.now()
  const { consumed, revoked } = await issuer.store.consumeReset({
    userId: code.userId,
    codeHash: code.codeHash,
    now,
    passwordHash,
    clearRateLimitKeys: [attemptKey, failKey],
    audit: { event: 'password.reset', at: now, userId: code.userId, ...info },
  })
  // A racing reset with the same code won: this one changed nothing.
  if (!consumed) throw new RotorError('CODE_INVALID', 'That code is no longer valid')
  sendNotice(issuer, composeMessage(email, { kind: 'password-changed' }), {
    userId: code.userId,
    info,
  })
  return revoked
}
