import { RotorError } from '../../contract/index.ts'
import { assertUnderLimit } from '../guard/rate-limited.ts'
import { composeMessage } from '../mail/message.ts'
import { codeLimitKeys, generateCode, hashCode } from './codes.ts'
import type { CodePurpose } from '../../contract/index.ts'
import type { Issuer } from '../issuer.ts'
import type { MailMessage } from '../mail/message.ts'
import type { RequestInfo } from '../sessions/request-info.ts'
import type { CodeOwner } from '../store/recovery-store.ts'
import type { UserRecord } from '../store/session-store.ts'

export type CodeRequest = {
  purpose: CodePurpose
  /** Whose code it is. */
  account: CodeOwner
  /** Where it goes; its counters are the ones limited, and it is looked up (`taken`). */
  target: string
  info: RequestInfo
  /**
   * `background`: the answer never depends on the account (public requests) — the code is stored
   * first and sent after the answer, a failed send voids it and is audited. `now`: a signed-in
   * caller waits for the send, and a failure is their error (`MAIL_UNAVAILABLE`), code voided.
   */
  delivery: 'background' | 'now'
}

/**
 * Mails a fresh code for `purpose`, replacing the account's earlier one. Whether or not an account
 * exists, the work is the same: two D1 round trips with the same statements, one HMAC, one
 * message composed. `refuse` sees the user at `target` first (an email change refuses a taken one).
 */
export async function requestCode(
  issuer: Issuer,
  request: CodeRequest,
  refuse?: (userAtTarget: UserRecord | undefined) => void,
): Promise<void> {
  const { rateLimits, mail } = issuer.config
  const { purpose, target, info } = request
  // Off for everyone alike: saying so tells nothing about any account.
  if (mail.transport === 'off') throw noMail()
  const now = issuer.now()
  const keys = await codeLimitKeys('request', target, info.ip)
  const counted = await issuer.store.beginCodeRequest({
    ...keys,
    email: target,
    now,
    ipWindowMs: rateLimits.codeRequestIp.window * 1000,
    accountWindowMs: rateLimits.codeRequestAccount.window * 1000,
  })
  assertUnderLimit(counted.ip, rateLimits.codeRequestIp, now)
  assertUnderLimit(counted.account, rateLimits.codeRequestAccount, now)
  refuse?.(counted.user)
  const code = generateCode()
  const codeHash = await hashCode(issuer.codeSecret, { purpose, target, code })
  await issuer.store.saveCode({
    account: request.account,
    purpose,
    codeHash,
    target,
    now,
    expiresAt: now + mail.codeTtl * 1000,
    audit: { event: 'code.request', at: now, detail: purpose, ...info },
  })
  const minutes = Math.round(mail.codeTtl / 60)
  const message = composeMessage(target, { kind: purpose, code, minutes })
  const userId = 'userId' in request.account ? request.account.userId : counted.user?.id
  if (request.delivery === 'now') {
    await sendOrVoid(issuer, message, { userId: userId!, purpose, codeHash, info })
    return
  }
  // Nothing is sent for an unknown address, or a verification of a verified one; the caller's
  // answer was decided before, and the send happens after it, so neither shows in its timing.
  const user = counted.user
  if (!user || (purpose === 'verify' && user.emailVerified)) return
  issuer.defer(
    sendOrVoid(issuer, message, { userId: user.id, purpose, codeHash, info }).catch(() => {}),
  )
}

/** Sends a notice (no code): best effort after the change it reports, audited when it fails. */
export function sendNotice(
  issuer: Issuer,
  message: MailMessage,
  audit: { userId: string; info: RequestInfo },
): void {
  issuer.defer(
    issuer.mail
      .send(message)
      .catch((error) => mailFailed(issuer, error, audit.userId, 'notice', audit.info)),
  )
}

/** Sends a code's message; a failure voids the code (no half-done request) and is audited. */
async function sendOrVoid(
  issuer: Issuer,
  message: MailMessage,
  code: { userId: string; purpose: CodePurpose; codeHash: string; info: RequestInfo },
): Promise<void> {
  try {
    await issuer.mail.send(message)
  } catch (error) {
    await issuer.store.deleteCode(code)
    await mailFailed(issuer, error, code.userId, code.purpose, code.info)
    throw error instanceof RotorError ? error : noMail(error)
  }
}

async function mailFailed(
  issuer: Issuer,
  error: unknown,
  userId: string,
  what: string,
  info: RequestInfo,
): Promise<void> {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  // The transport's complaint, never the message: it holds the code.
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'mail not sent',
      transport: issuer.mail.name,
      what,
      requestId: info.requestId,
      cause: cause instanceof Error ? cause.message.slice(0, 200) : 'unknown',
    }),
  )
  await issuer.store.recordAudit({
    event: 'mail.failure',
    at: issuer.now(),
    userId,
    detail: what,
    ...info,
  })
}

function noMail(cause?: unknown): RotorError {
  return new RotorError('MAIL_UNAVAILABLE', 'The message could not be sent; try again later', {
    cause,
  })
}
