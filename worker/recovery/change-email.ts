import { RotorError } from '../../contract/index.ts'
import { composeMessage } from '../mail/message.ts'
import { checkCredentials } from '../sessions/credentials.ts'
import { normalizeEmail } from '../sessions/email.ts'
import { checkCode } from './check-code.ts'
import { requestCode, sendNotice } from './request-code.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'

type Caller = { userId: string; email: string }

/**
 * `auth.requestEmailChange`: the current password (through sign-in's checks and limits, so a
 * stolen access token cannot move the account) and a code mailed to the new address, which must
 * be free. The caller waits for the send: a failure is `MAIL_UNAVAILABLE` and changes nothing.
 */
export async function requestEmailChange(
  issuer: Issuer,
  caller: Caller,
  input: { newEmail: string; currentPassword: string },
  info: RequestInfo,
): Promise<void> {
  const newEmail = normalizeEmail(input.newEmail)
  const { user } = await checkCredentials(
    issuer,
    { email: caller.email, password: input.currentPassword },
    info,
  )
  if (user.id !== caller.userId) {
    throw new RotorError('INVALID_CREDENTIALS', 'Current password is incorrect')
  }
  if (newEmail === user.email) {
    throw new RotorError('INVALID_INPUT', 'That is already the address of this account')
  }
  await requestCode(
    issuer,
    {
      purpose: 'email-change',
      account: { userId: user.id },
      target: newEmail,
      info,
      delivery: 'now',
    },
    (taken) => {
      if (taken) throw new RotorError('EMAIL_TAKEN', 'That email cannot be used')
    },
  )
}

/**
 * `auth.confirmEmailChange`: the code sent to the new address moves the account there (verified);
 * codes sent to the old one die with it, and the old address is told. Returns the new address.
 */
export async function confirmEmailChange(
  issuer: Issuer,
  caller: Caller,
  input: { code: string },
  info: RequestInfo,
): Promise<string> {
  const code = await checkCode(issuer, {
    purpose: 'email-change',
    account: { userId: caller.userId },
    limitEmail: caller.email,
    code: input.code,
    info,
  })
  const now = issuer.now()
  const result = await issuer.store.consumeEmailChange({
    userId: caller.userId,
    codeHash: code.codeHash,
    now,
    audit: { event: 'email.change', at: now, userId: caller.userId, ...info },
  })
  if (result === 'email-taken') throw new RotorError('EMAIL_TAKEN', 'That email cannot be used')
  if (result === 'invalid') throw new RotorError('CODE_INVALID', 'That code is no longer valid')
  sendNotice(
    issuer,
    composeMessage(caller.email, { kind: 'email-changed', newEmail: code.email }),
    {
      userId: caller.userId,
      info,
    },
  )
  return code.email
}
