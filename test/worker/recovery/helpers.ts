import { CODE_DIGITS } from '../../../contract/index.ts'
import { createTestIssuer, failure } from '../helpers/issuer.ts'
import { mailUnavailable, withTimeout } from '../../../worker/mail/transport.ts'
import type { MailMessage } from '../../../worker/mail/message.ts'
import type { MailTransport } from '../../../worker/mail/transport.ts'
import type { CallResult, TestIssuer } from '../helpers/issuer.ts'

export { failure }

/** Code limits lifted: tests share one D1 and one fake IP unless a test sets its own. */
export const UNLIMITED_CODES = {
  RATE_LIMIT_CODE_REQUEST_IP: '100000/60',
  RATE_LIMIT_CODE_REQUEST_ACCOUNT: '100000/60',
  RATE_LIMIT_CODE_ATTEMPT_IP: '100000/60',
  RATE_LIMIT_CODE_ATTEMPT_ACCOUNT: '100000/60',
}

export type Outbox = {
  sent: MailMessage[]
  /** Makes the next sends fail like a transport that timed out (or, with `hang`, never answers). */
  failing: false | 'error' | 'hang'
}

export type RecoveryIssuer = TestIssuer & {
  outbox: Outbox
  /** Waits for every send the issuer deferred past its answers. */
  settle(): Promise<void>
  /** The code of the newest message to `to`; fails when there is none. */
  codeFor(to: string): string
  /** Every message to `to`, oldest first. */
  mailTo(to: string): MailMessage[]
}

/**
 * A test issuer with the mail hook captured: messages land in `outbox.sent` instead of any
 * transport, and sends deferred past the answer (`waitUntil` in the worker) are collected.
 */
export function createRecoveryIssuer(vars: Record<string, string> = {}): RecoveryIssuer {
  const t = createTestIssuer({ MAIL_TRANSPORT: 'outbox', ...UNLIMITED_CODES, ...vars })
  const outbox: Outbox = { sent: [], failing: false }
  const pending: Promise<unknown>[] = []
  const captured: MailTransport = {
    name: 'outbox',
    async send(message) {
      if (outbox.failing === 'hang') {
        // A receiver that never answers, bounded by MAIL_TIMEOUT as the real transports are.
        const never = (signal: AbortSignal) =>
          new Promise<never>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          )
        await withTimeout(t.issuer.config.mail.timeout, never).catch((error: unknown) => {
          throw mailUnavailable(error)
        })
      }
      if (outbox.failing) throw mailUnavailable(new Error('transport refused the message'))
      outbox.sent.push(message)
    },
  }
  t.issuer.mail = captured
  t.issuer.defer = (task) => void pending.push(task)
  const mailTo = (to: string) => outbox.sent.filter((message) => message.to === to)
  return {
    ...t,
    outbox,
    async settle() {
      while (pending.length > 0) await Promise.allSettled(pending.splice(0))
    },
    mailTo,
    codeFor(to) {
      const message = mailTo(to).at(-1)
      const code = message?.text.match(new RegExp(`\\b\\d{${CODE_DIGITS}}\\b`))?.[0]
      if (!code) throw new Error(`no code was mailed to ${to}`)
      return code
    },
  }
}

/** A code that is not `code` (the next one, wrapping). */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 10 ** CODE_DIGITS).padStart(CODE_DIGITS, '0')
}

/** `{ status, reason }` of a call, or `{ status: 200 }` when it succeeded. */
export function outcome(result: CallResult): { status: number; reason?: string } {
  return result.status === 200 ? { status: 200 } : failure(result)
}
