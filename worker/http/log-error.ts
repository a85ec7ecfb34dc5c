import { ConfigError } from '../config/config-error.ts'
import { RotorError } from '../../contract/index.ts'

export type ErrorDescription = { error: string; detail?: string; cause?: string; at?: string }

/**
 * A log line's description of an unexpected error without anything the caller sent: its class,
 * where it was thrown, and its message only for Rotor's own errors, whose messages never hold a
 * secret. Other messages are dropped: drizzle's include the query's parameters (emails, token
 * hashes, password hashes), and a stack's first line repeats the message.
 */
export function describeError(error: unknown): ErrorDescription {
  if (!(error instanceof Error)) return { error: typeof error }
  const description: ErrorDescription = { error: error.name }
  if (error instanceof RotorError || error instanceof ConfigError)
    description.detail = error.message
  if (error.cause instanceof Error) description.cause = error.cause.name
  const frame = error.stack?.split('\n').find((line) => /^\s+at /.test(line))
  if (frame) description.at = frame.trim().slice(3, 200)
  return description
}
