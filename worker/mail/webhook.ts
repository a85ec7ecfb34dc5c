import { mailUnavailable, withTimeout } from './transport.ts'
import type { MailTransport } from './transport.ts'

/** The header carrying `t=<epoch seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-rotor-signature'

/**
 * POSTs each message as JSON (`{ from, to, subject, text, html }`) to `MAIL_WEBHOOK_URL`, signed
 * with `MAIL_WEBHOOK_SECRET` so the receiver can refuse forgeries and replays (check `t` is recent).
 * Any answer but 2xx, or none within `MAIL_TIMEOUT`, is a failure.
 */
export function webhookTransport(options: {
  url: string
  secret: string | undefined
  from: string
  timeout: number
  now: () => number
  fetch?: typeof fetch
}): MailTransport {
  const send = options.fetch ?? ((input, init) => fetch(input, init))
  return {
    name: 'webhook',
    async send(message) {
      if (options.secret === undefined) throw mailUnavailable(new Error('no MAIL_WEBHOOK_SECRET'))
      const body = JSON.stringify({ from: options.from, ...message })
      const t = Math.floor(options.now() / 1000)
      const signature = await sign(options.secret, `${t}.${body}`)
      try {
        const response = await withTimeout(options.timeout, (signal) =>
          send(options.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              [WEBHOOK_SIGNATURE_HEADER]: `t=${t},v1=${signature}`,
            },
            body,
            signal,
            redirect: 'manual',
          }),
        )
        await response.body?.cancel()
        if (!response.ok) throw new Error(`mail webhook answered ${response.status}`)
      } catch (error) {
        throw mailUnavailable(error)
      }
    },
  }
}

/** Hex HMAC-SHA256 of `data` under `secret`. */
export async function sign(secret: string, data: string): Promise<string> {
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)))
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
