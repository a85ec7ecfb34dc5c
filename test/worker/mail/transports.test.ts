import { env } from 'cloudflare:workers'
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../worker/config/config.ts'
import { createIssuer } from '../../../worker/issuer.ts'
import { composeMessage } from '../../../worker/mail/message.ts'
import { buildMime } from '../../../worker/mail/mime.ts'
import { outboxTransport } from '../../../worker/mail/outbox.ts'
import { sendEmailTransport } from '../../../worker/mail/send-email.ts'
import { WEBHOOK_SIGNATURE_HEADER, sign, webhookTransport } from '../../../worker/mail/webhook.ts'
import { createTestIssuer } from '../helpers/issuer.ts'

const message = composeMessage('user@example.com', { kind: 'reset', code: '01234567', minutes: 15 })
const now = () => Date.UTC(2026, 11, 2, 12, 0, 0)
const SECRET = 'x'.repeat(40)

/** The decoded parts of a raw multipart message, by content type. */
function mimeParts(raw: string): Record<string, string> {
  const boundary = /boundary="([^"]+)"/.exec(raw)![1]!
  const parts = raw.split(`--${boundary}`).slice(1, -1)
  return Object.fromEntries(
    parts.map((part) => {
      const [head, body] = part.split('\r\n\r\n') as [string, string]
      const type = /Content-Type: ([^;]+)/.exec(head)![1]!
      const bytes = Uint8Array.from(atob(body.replace(/\s/g, '')), (c) => c.charCodeAt(0))
      return [type, new TextDecoder().decode(bytes)]
    }),
  )
}

describe('the mail message and its MIME form', () => {
  test('has only the code: subject, text and a minimal HTML part', () => {
    expect(message.text).toContain('01234567')
    expect(message.html).toContain('<strong style="font-size:1.4em">01234567</strong>')
    expect(message.html).not.toMatch(/<a |<img|<script|https?:/)
  })

  test('is multipart/alternative with both parts as UTF-8 base64, text first', () => {
    const raw = buildMime(
      { ...message, subject: 'Réinitialisation' },
      'auth@example.com',
      new Date(now()),
    )
    expect(raw).toMatch(/^From: auth@example.com\r\nTo: user@example.com\r\n/)
    expect(raw).toContain('Subject: =?utf-8?B?')
    expect(raw).toContain('MIME-Version: 1.0')
    expect(raw.split('\r\n').every((line) => line.length <= 998)).toBe(true)
    const parts = mimeParts(raw)
    expect(Object.keys(parts)).toEqual(['text/plain', 'text/html'])
    expect(parts['text/plain']).toBe(message.text)
    expect(parts['text/html']).toBe(message.html)
  })

  test('refuses a header value with a line break (header injection)', () => {
    const injected = { ...message, to: 'user@example.com\r\nBcc: everyone@example.com' }
    expect(() => buildMime(injected, 'auth@example.com', new Date())).toThrow(/single line/)
  })
})

describe('the send_email transport', () => {
  test('hands the binding an EmailMessage from MAIL_FROM to the recipient', async () => {
    const sent: { from: string; to: string }[] = []
    const binding = { send: async (m: { from: string; to: string }) => void sent.push(m) }
    await sendEmailTransport(binding, { from: 'auth@example.com', timeout: 5, now }).send(message)
    expect(sent).toMatchObject([{ from: 'auth@example.com', to: 'user@example.com' }])
  })

  test('a binding that throws, or is missing, is MAIL_UNAVAILABLE', async () => {
    const failing = { send: async () => Promise.reject(new Error('destination not verified')) }
    const options = { from: 'auth@example.com', timeout: 5, now }
    await expect(sendEmailTransport(failing, options).send(message)).rejects.toMatchObject({
      reason: 'MAIL_UNAVAILABLE',
    })
    await expect(sendEmailTransport(undefined, options).send(message)).rejects.toMatchObject({
      reason: 'MAIL_UNAVAILABLE',
    })
  })
})

describe('the webhook transport', () => {
  test('POSTs the message as JSON, signed over the time and the body', async () => {
    const calls: Request[] = []
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(new Request(input, init))
      return new Response(null, { status: 202 })
    }
    const hook = webhookTransport({
      url: 'https://mail.example.com/hook',
      secret: SECRET,
      from: 'auth@example.com',
      timeout: 5,
      now,
      fetch,
    })
    await hook.send(message)
    const request = calls[0]!
    const body = await request.text()
    expect(JSON.parse(body)).toEqual({ from: 'auth@example.com', ...message })
    const [t, v1] = request.headers.get(WEBHOOK_SIGNATURE_HEADER)!.split(',')
    expect(t).toBe(`t=${now() / 1000}`)
    expect(v1).toBe(`v1=${await sign(SECRET, `${now() / 1000}.${body}`)}`)
  })

  test.each([
    ['answers 500', async () => new Response('no', { status: 500 })],
    ['redirects', async () => new Response(null, { status: 302, headers: { location: '/' } })],
    [
      'never answers',
      (_: unknown, init?: RequestInit) =>
        new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    ],
  ])('a receiver that %s is MAIL_UNAVAILABLE within MAIL_TIMEOUT', async (_, fetch) => {
    const hook = webhookTransport({
      url: 'https://mail.example.com/hook',
      secret: SECRET,
      from: 'auth@example.com',
      timeout: 1,
      now,
      fetch: fetch as typeof globalThis.fetch,
    })
    await expect(hook.send(message)).rejects.toMatchObject({ reason: 'MAIL_UNAVAILABLE' })
  })
})

describe('the development outbox', () => {
  test('stores each message for the demo page, readable at /demo/outbox', async () => {
    const t = createTestIssuer({ MAIL_TRANSPORT: 'outbox', DEMO: 'on' })
    const to = `outbox-${crypto.randomUUID()}@example.com`
    await outboxTransport(t.issuer.store, t.issuer.now).send({ ...message, to })
    const response = await t.request(`/demo/outbox?to=${encodeURIComponent(to)}`)
    expect(response.status).toBe(200)
    const { messages } = (await response.json()) as {
      messages: { subject: string; text: string }[]
    }
    expect(messages).toMatchObject([{ subject: message.subject, text: message.text }])
  })

  test('is not served unless the outbox is the transport', async () => {
    const t = createTestIssuer({ MAIL_TRANSPORT: 'off', DEMO: 'on' })
    expect((await t.request('/demo/outbox?to=a@example.com')).status).toBe(404)
  })
})

describe('mail configuration', () => {
  const issuerWith = (vars: Record<string, string>) => () => createIssuer({ ...env, ...vars })

  test.each([
    [{ MAIL_TRANSPORT: 'outbox', ISSUER: 'https://auth.example.com' }, /development only/],
    [{ MAIL_TRANSPORT: 'smtp' }, /MAIL_TRANSPORT must be one of/],
    [{ MAIL_TRANSPORT: 'send_email' }, /MAIL_FROM is missing/],
    [{ MAIL_TRANSPORT: 'webhook', MAIL_FROM: 'a@example.com' }, /MAIL_WEBHOOK_URL/],
    [
      {
        MAIL_TRANSPORT: 'webhook',
        MAIL_FROM: 'a@example.com',
        MAIL_WEBHOOK_URL: 'http://mail.example.com/hook',
      },
      /https URL/,
    ],
    [
      {
        MAIL_TRANSPORT: 'webhook',
        MAIL_FROM: 'a@example.com',
        MAIL_WEBHOOK_URL: 'https://m.example.com',
      },
      /MAIL_WEBHOOK_SECRET is missing/,
    ],
    [{ MAIL_FROM: 'Rotor <a@example.com>' }, /bare address/],
    [{ REQUIRE_EMAIL_VERIFIED: 'on', MAIL_TRANSPORT: 'off' }, /needs a MAIL_TRANSPORT/],
    [{ MAIL_TIMEOUT: '0' }, /MAIL_TIMEOUT/],
    [{ CODE_TTL: '10' }, /CODE_TTL/],
  ])('refuses %j at start-up, naming the value', (vars, message) => {
    expect(issuerWith(vars)).toThrow(ConfigError)
    expect(issuerWith(vars)).toThrow(message)
  })

  test('the defaults of wrangler.toml start with mail off', () => {
    expect(createIssuer(env as never).mail.name).toBe('off')
  })
})
