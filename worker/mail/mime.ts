import type { MailMessage } from './message.ts'

/**
 * The raw RFC 5322 message `send_email` takes: multipart/alternative (RFC 2046 §5.1.4) with the
 * plain-text part first, both parts UTF-8 in base64 (no line-length or 8-bit worries), the subject
 * encoded per RFC 2047. Addresses and subject must be single lines: a CR or LF would start a header.
 */
export function buildMime(message: MailMessage, from: string, now: Date): string {
  for (const value of [message.to, from, message.subject]) {
    if (/[\r\n]/.test(value)) throw new Error('A mail header value must be a single line')
  }
  const boundary = `rotor-${crypto.randomUUID()}`
  const domain = from.slice(from.lastIndexOf('@') + 1)
  const headers = [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${encodeWord(message.subject)}`,
    `Date: ${now.toUTCString()}`,
    `Message-ID: <${crypto.randomUUID()}@${domain}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ]
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(body),
    ].join('\r\n')
  return [
    ...headers,
    '',
    part('text/plain', message.text),
    part('text/html', message.html),
    `--${boundary}--`,
    '',
  ].join('\r\n')
}

/** An RFC 2047 encoded word when the text is not plain printable ASCII. */
function encodeWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text
  return `=?utf-8?B?${base64(text)}?=`
}

/** Base64 of the UTF-8 text in lines of 76 characters (RFC 2045 §6.8). */
function base64Lines(text: string): string {
  return (base64(text).match(/.{1,76}/g) ?? ['']).join('\r\n')
}

function base64(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}
