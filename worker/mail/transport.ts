import { RotorError } from '../../contract/index.ts'
import type { MailTransportName } from '../config/mail-config.ts'
import type { MailMessage } from './message.ts'

/** Hands one message over; throws `MAIL_UNAVAILABLE` when it could not (nothing is retried). */
export type MailTransport = {
  name: MailTransportName
  send(message: MailMessage): Promise<void>
}

/** The failure every transport reports; the cause stays for the operator's log, never the caller. */
export function mailUnavailable(cause?: unknown): RotorError {
  return new RotorError('MAIL_UNAVAILABLE', 'The message could not be sent; try again later', {
    cause,
  })
}

/** `MAIL_TRANSPORT = "off"`: every send fails, so no flow pretends a code went out. */
export const mailOff: MailTransport = {
  name: 'off',
  async send() {
    throw mailUnavailable(new Error('MAIL_TRANSPORT is off'))
  },
}

/** Runs `send` for at most `seconds`; past it the send counts as failed. */
export async function withTimeout<T>(
  seconds: number,
  send: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new Error(`mail transport timed out after ${seconds} s`))
    }, seconds * 1000)
  })
  try {
    return await Promise.race([send(controller.signal), timeout])
  } finally {
    clearTimeout(timer)
  }
}
