import { mailUnavailable } from './transport.ts'
import type { MailTransport } from './transport.ts'
import type { RecoveryStore } from '../store/recovery-store.ts'

/**
 * Development only (config refuses it unless ISSUER is localhost): each message becomes a row of
 * `mail_outbox`, which the demo page reads, and a line on the `npm run dev` console. The code is
 * in the row and the line on purpose — that is the outbox's whole point — so it never runs deployed.
 */
export function outboxTransport(store: RecoveryStore, now: () => number): MailTransport {
  return {
    name: 'outbox',
    async send(message) {
      try {
        await store.recordOutbox({
          at: now(),
          to: message.to,
          subject: message.subject,
          text: message.text,
        })
      } catch (error) {
        throw mailUnavailable(error)
      }
      console.log(`outbox: to ${message.to}: ${message.subject}: ${message.text.split('\n')[0]}`)
    },
  }
}
