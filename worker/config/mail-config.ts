import { ConfigError } from './config-error.ts'

/**
 * How Rotor hands over the messages it composes (README: Recovery and verification): Cloudflare's
 * `send_email` binding, an HTTPS webhook signed with a shared secret, the development outbox in
 * D1, or `off` (every procedure that mails answers `MAIL_UNAVAILABLE`).
 */
export type MailTransportName = 'off' | 'send_email' | 'webhook' | 'outbox'

export type MailConfig = {
  transport: MailTransportName
  /** The sender address (`MAIL_FROM`); required by `send_email` and `webhook`. */
  from: string
  /** Where `webhook` posts (`MAIL_WEBHOOK_URL`, https only). */
  webhookUrl: string | undefined
  /** Seconds a transport may take before the send counts as failed (`MAIL_TIMEOUT`). */
  timeout: number
  /** Seconds a one-time code lives (`CODE_TTL`). */
  codeTtl: number
}

const TRANSPORTS: readonly MailTransportName[] = ['off', 'send_email', 'webhook', 'outbox']
// RFC 5321 size, no display name, no header-breaking characters.
const ADDRESS = /^[^\s<>"',;:\\@]{1,64}@[a-z0-9.-]{1,189}$/i
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

type RawEnv = Readonly<Record<string, unknown>>

/** The mail settings; the outbox is refused unless `ISSUER` is a loopback address (no deployment). */
export function parseMailConfig(env: RawEnv, issuer: string): MailConfig {
  const transport = readTransport(env.MAIL_TRANSPORT)
  const from = typeof env.MAIL_FROM === 'string' ? env.MAIL_FROM.trim() : ''
  if (from !== '' && !ADDRESS.test(from)) {
    throw new ConfigError('MAIL_FROM must be a bare address like auth@example.com')
  }
  if ((transport === 'send_email' || transport === 'webhook') && from === '') {
    throw new ConfigError(`MAIL_FROM is missing: MAIL_TRANSPORT "${transport}" needs a sender`)
  }
  if (transport === 'outbox' && !LOOPBACK.has(new URL(issuer).hostname)) {
    throw new ConfigError(
      'MAIL_TRANSPORT "outbox" is for development only: ISSUER must be a localhost URL',
    )
  }
  const webhookUrl = readWebhookUrl(env.MAIL_WEBHOOK_URL, transport)
  return {
    transport,
    from: from === '' ? 'rotor@localhost' : from,
    webhookUrl,
    timeout: readWhole(env.MAIL_TIMEOUT, 'MAIL_TIMEOUT', 1, 30, 5),
    codeTtl: readWhole(env.CODE_TTL, 'CODE_TTL', 60, 86_400, 900),
  }
}

function readTransport(value: unknown): MailTransportName {
  if (value === undefined || value === '') return 'off'
  if (!TRANSPORTS.includes(value as MailTransportName)) {
    throw new ConfigError(`MAIL_TRANSPORT must be one of ${TRANSPORTS.join(', ')}`)
  }
  return value as MailTransportName
}

function readWebhookUrl(value: unknown, transport: MailTransportName): string | undefined {
  if (transport !== 'webhook') return undefined
  if (typeof value !== 'string' || !URL.canParse(value) || new URL(value).protocol !== 'https:') {
    throw new ConfigError('MAIL_WEBHOOK_URL must be an https URL when MAIL_TRANSPORT is "webhook"')
  }
  return value
}

function readWhole(value: unknown, name: string, min: number, max: number, fallback: number) {
  if (value === undefined || value === '') return fallback
  const seconds = Number(value)
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new ConfigError(`${name} must be a whole number of seconds from ${min} to ${max}`)
  }
  return seconds
}
