import { mailOff } from './transport.ts'
import { outboxTransport } from './outbox.ts'
import { sendEmailTransport } from './send-email.ts'
import { webhookTransport } from './webhook.ts'
import type { MailConfig } from '../config/mail-config.ts'
import type { RecoveryStore } from '../store/recovery-store.ts'
import type { SendEmailBinding } from './send-email.ts'
import type { MailTransport } from './transport.ts'

/** The bindings and secret the transports read from `env`. */
export type MailEnv = { MAIL?: SendEmailBinding; MAIL_WEBHOOK_SECRET?: string }

/** The one transport `MAIL_TRANSPORT` names. */
export function createMailTransport(
  config: MailConfig,
  env: MailEnv,
  store: RecoveryStore,
  now: () => number,
): MailTransport {
  const { from, timeout } = config
  switch (config.transport) {
    case 'send_email':
      return sendEmailTransport(env.MAIL, { from, timeout, now })
    case 'webhook':
      return webhookTransport({
        url: config.webhookUrl!,
        secret: env.MAIL_WEBHOOK_SECRET,
        from,
        timeout,
        now,
      })
    case 'outbox':
      return outboxTransport(store, now)
    case 'off':
      return mailOff
  }
}
