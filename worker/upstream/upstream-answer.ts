/**
 * The upstream password service's answers, read as hostile: a bounded body, a checked shape, a
 * sane id. Pure: no I/O.
 */

import { readBounded } from '../../contract/index.ts'

/** Who the upstream vouched for: the id Rotor creates the user with, and their email. */
export type UpstreamUser = { id: string; email: string; emailVerified: boolean }

/** Largest answer body read; an honest `{ id, email, email_verified }` is a few hundred bytes. */
export const MAX_ANSWER_BYTES = 4096

/**
 * A user id another system may have minted: a UUID, a number, `auth0|5f7c…`, a Mongo ObjectId —
 * printable, no spaces or quotes, at most 128 characters (the legacy tokens' `sub` carries it).
 */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._:@|+=-]{0,127}$/

/**
 * The user in a 200 answer's body for a check of `email`, or why the body is refused. An id may
 * be a JSON string or a non-negative safe integer (kept as its decimal string); the email must be
 * the one asked about; `email_verified`, when present, a boolean. Other fields are ignored.
 */
export function parseUpstreamUser(
  text: string,
  email: string,
): { ok: true; user: UpstreamUser } | { ok: false; why: string } {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { ok: false, why: 'malformed-json' }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, why: 'not-an-object' }
  const { id, email: answered, email_verified: verified } = body as Record<string, unknown>
  const userId = readId(id)
  if (userId === undefined) return { ok: false, why: 'bad-id' }
  if (typeof answered !== 'string' || answered.trim().toLowerCase() !== email)
    return { ok: false, why: 'other-email' }
  if (verified !== undefined && typeof verified !== 'boolean')
    return { ok: false, why: 'bad-email-verified' }
  return { ok: true, user: { id: userId, email, emailVerified: verified === true } }
}

function readId(id: unknown): string | undefined {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id >= 0 ? String(id) : undefined
  return typeof id === 'string' && USER_ID.test(id) ? id : undefined
}

/**
 * The body as text, reading at most `MAX_ANSWER_BYTES`: a longer one (declared or streamed) is
 * cancelled and read as `undefined`, so an upstream cannot make Rotor buffer megabytes.
 */
export async function readBoundedText(response: Response): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (!response.body) return ''
  if (declared > MAX_ANSWER_BYTES) {
    await response.body.cancel()
    return undefined
  }
  const bytes = await readBounded(response.body, MAX_ANSWER_BYTES)
  if (bytes === undefined) return undefined
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return undefined
  }
}
