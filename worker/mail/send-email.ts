import { EmailMessage } from 'cloudflare:email'
import { buildMime } from './mime.ts'
import { mailUnavailable, withTimeout } from './transport.ts'
import type { MailTransport } from './transport.ts'

/** The part of a `send_email` binding Rotor uses. */
export type SendEmailBinding = { send(message: EmailMessage): Promise<unknown> }

/**
 * Cloudflare Email Routing's `send_email` binding (`MAIL` in wrangler.toml): the message as raw
 * MIME from `from`; recipients must be verified destinations of the zone unless the binding allows any.
 */
export function sendEmailTransport(
  binding: SendEmailBinding | undefined,
  options: { from: string; timeout: number; now: () => number },
): MailTransport {
  return {
    name: 'send_email',
    async send(message) {
      if (!binding) throw mailUnavailable(new Error('the MAIL send_email binding is missing'))
      const raw = buildMime(message, options.from, new Date(options.now()))
      try {
        await withTimeout(options.timeout, () =>
          binding.send(new EmailMessage(options.from, message.to, raw)),
        )
      } catch (error) {
        throw mailUnavailable(error)
      }
    },
  }
}
