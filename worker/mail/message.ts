/** A message Rotor composed: one recipient, a subject, a plain-text and a minimal HTML body. */
export type MailMessage = { to: string; subject: string; text: string; html: string }

/** What a message is about; each names its template below. */
export type MailKind =
  | { kind: 'reset'; code: string; minutes: number }
  | { kind: 'verify'; code: string; minutes: number }
  | { kind: 'email-change'; code: string; minutes: number }
  | { kind: 'password-changed' }
  | { kind: 'email-changed'; newEmail: string }

const TEMPLATES: { [K in MailKind['kind']]: (m: Extract<MailKind, { kind: K }>) => Body } = {
  reset: (m) => ({
    subject: 'Your password reset code',
    lines: [
      `Your code to reset your password is ${m.code}.`,
      `It expires in ${m.minutes} minutes. If you did not ask for it, ignore this message.`,
    ],
    code: m.code,
  }),
  verify: (m) => ({
    subject: 'Your email verification code',
    lines: [
      `Your code to verify this address is ${m.code}.`,
      `It expires in ${m.minutes} minutes.`,
    ],
    code: m.code,
  }),
  'email-change': (m) => ({
    subject: 'Confirm your new email address',
    lines: [
      `Your code to make this your account's address is ${m.code}.`,
      `It expires in ${m.minutes} minutes. If you did not ask for it, ignore this message.`,
    ],
    code: m.code,
  }),
  'password-changed': () => ({
    subject: 'Your password was changed',
    lines: [
      'The password of your account was just reset, and every device was signed out.',
      'If this was not you, reset it again at once.',
    ],
  }),
  'email-changed': (m) => ({
    subject: 'Your email address was changed',
    lines: [`Your account's address is now ${m.newEmail}. If this was not you, contact support.`],
  }),
}

type Body = { subject: string; lines: string[]; code?: string }

/**
 * The message for `to`: the code (or notice) and nothing else — no link, no account detail, no
 * request data, so a forwarded or leaked message gives away only a short-lived code.
 */
export function composeMessage(to: string, content: MailKind): MailMessage {
  const template = TEMPLATES[content.kind] as (m: MailKind) => Body
  const { subject, lines, code } = template(content)
  const paragraphs = lines.map((line) =>
    code === undefined
      ? escapeHtml(line)
      : escapeHtml(line).replace(code, `<strong style="font-size:1.4em">${code}</strong>`),
  )
  return {
    to,
    subject,
    text: `${lines.join('\n\n')}\n`,
    html: `<!doctype html><html><body>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`,
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
