import { z } from 'zod'
import { parsePasswordHash } from '../passwords/hash-format.ts'
import { normalizeEmail } from './email.ts'
import type { ImportUser } from '../store/session-store.ts'

/** What an import line may hold (README, "Importing users"); any other key refuses the line. */
export const IMPORT_KEYS = ['id', 'email', 'password_hash', 'email_verified', 'created_at'] as const

/** Longest line read: an id, an email and a bounded hash fit well inside it. */
export const MAX_IMPORT_LINE_CHARS = 4096

/** Lines one call may carry (blank ones aside): its D1 queries stay inside one invocation's. */
export const MAX_IMPORT_LINES = 1000

/** Legacy `sub` values: printable ASCII without spaces or quotes (UUIDs, `auth0|…`, numbers). */
const ID = /^[A-Za-z0-9._~:@|+=/-]{1,128}$/
/** Epoch ms before this (March 1973) are almost surely epoch *seconds* given by mistake. */
const MIN_EPOCH_MS = 100_000_000_000
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/
const email = z.email().max(254)

export type LineVerdict =
  | { kind: 'blank' }
  | { kind: 'user'; user: ImportUser }
  | { kind: 'refused'; reason: string; id?: string }

export type ImportLineChecker = {
  /** Checks one line (1-based `line`); remembers ids and emails to refuse later duplicates. */
  check(text: string, line: number): LineVerdict
}

/**
 * The one validator of import lines, for the route and `npm run users:import` alike. Refusal
 * reasons name the field, never its value when it is a hash, and never quote the line.
 */
export function createImportLineChecker(now: number): ImportLineChecker {
  const ids = new Map<string, number>()
  const emails = new Map<string, number>()
  return {
    check(text, line) {
      const verdict = checkLine(text.replace(/\r$/, ''), now)
      if (verdict.kind !== 'user') return verdict
      const { id, email: address } = verdict.user
      const sameId = ids.get(id)
      if (sameId !== undefined) return refuse(`id already given on line ${sameId}`, id)
      const sameEmail = emails.get(address)
      if (sameEmail !== undefined) return refuse(`email already given on line ${sameEmail}`, id)
      ids.set(id, line)
      emails.set(address, line)
      return verdict
    },
  }
}

function checkLine(text: string, now: number): LineVerdict {
  if (text.trim() === '') return { kind: 'blank' }
  if (text.length > MAX_IMPORT_LINE_CHARS)
    return refuse(`the line is longer than ${MAX_IMPORT_LINE_CHARS} characters`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // JSON.parse's own message quotes the line, which may hold a hash.
    return refuse('the line is not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return refuse('the line must be one JSON object')
  const fields = value as Record<string, unknown>
  const rawId = fields.id
  const id = typeof rawId === 'string' && ID.test(rawId) ? rawId : undefined
  const unknown = Object.keys(fields).find(
    (key) => !(IMPORT_KEYS as readonly string[]).includes(key),
  )
  if (unknown !== undefined) return refuse(`unknown key ${JSON.stringify(unknown)}`, id)
  const duplicate = duplicateKey(text)
  if (duplicate !== undefined) return refuse(`key "${duplicate}" given twice`, id)
  if (typeof rawId !== 'string') return refuse('id must be a string (quote numeric ids)')
  if (id === undefined)
    return refuse('id must be 1–128 characters of A–Z a–z 0–9 and . _ ~ : @ | + = / -')
  if (typeof fields.email !== 'string') return refuse('email must be a string', id)
  const address = normalizeEmail(fields.email)
  if (!email.safeParse(address).success) return refuse('email is not an email address', id)
  const hash = fields.password_hash ?? undefined
  if (hash !== undefined) {
    if (typeof hash !== 'string') return refuse('password_hash must be a string', id)
    const parsed = parsePasswordHash(hash)
    if (!parsed.ok) return refuse(`password_hash refused: ${parsed.reason}`, id)
  }
  const verified = fields.email_verified
  if (verified !== undefined && typeof verified !== 'boolean')
    return refuse('email_verified must be true or false', id)
  const createdAt = readCreatedAt(fields.created_at, now)
  if (typeof createdAt === 'string') return refuse(createdAt, id)
  return {
    kind: 'user',
    user: {
      id,
      email: address,
      createdAt,
      ...(hash === undefined ? {} : { passwordHash: hash }),
      ...(verified === undefined ? {} : { emailVerified: verified }),
    },
  }
}

/** Epoch ms, or the reason `value` is not an accepted `created_at`. */
function readCreatedAt(value: unknown, now: number): number | string {
  let at: number
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < MIN_EPOCH_MS)
      return 'created_at as a number must be whole epoch milliseconds (not seconds)'
    at = value
  } else if (typeof value === 'string') {
    const match = ISO_DATE_TIME.exec(value)
    at = Date.parse(value)
    if (!match || Number.isNaN(at) || !sameCalendarDate(match))
      return 'created_at must be an ISO 8601 date-time with a zone, like 2024-05-01T12:00:00Z'
  } else {
    return 'created_at is required: an ISO 8601 date-time or epoch milliseconds'
  }
  if (at > now + 24 * 60 * 60 * 1000) return 'created_at is in the future'
  return at
}

/** Date.parse rolls 2024-02-30 over to March; the written month and day must exist. */
function sameCalendarDate(match: RegExpExecArray): boolean {
  const [, year, month, day, hour, minute, second] = match.map(Number)
  const date = new Date(Date.UTC(year!, month! - 1, day!))
  return (
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! < 24 &&
    minute! < 60 &&
    (Number.isNaN(second) || second! < 60)
  )
}

/**
 * A key that appears twice in the object `text` (JSON.parse keeps the last silently). Runs after
 * JSON.parse succeeded: `text` splits into whole strings and single characters, and a string
 * followed by `:` is a key (at any depth, so a nested repeat is refused too).
 */
function duplicateKey(text: string): string | undefined {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|[^\s"]/g) ?? []
  const seen = new Set<string>()
  for (const [i, token] of tokens.entries()) {
    if (!token.startsWith('"') || tokens[i + 1] !== ':') continue
    const key = JSON.parse(token) as string
    if (seen.has(key)) return key
    seen.add(key)
  }
  return undefined
}

function refuse(reason: string, id?: string): LineVerdict {
  return id === undefined ? { kind: 'refused', reason } : { kind: 'refused', reason, id }
}
