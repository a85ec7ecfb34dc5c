import { env } from 'cloudflare:workers'
import { loginKeys } from '../../../worker/guard/login-guard.ts'
import { createTestIssuer } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'
import type { SeededAccount } from './password-service.ts'

export const UPSTREAM_PASSWORD = 'an old password from the old system'

/** An issuer whose lazy migration asks the tests' password service through its binding. */
export function createUpstreamIssuer(vars: Record<string, string> = {}): TestIssuer {
  return createTestIssuer(
    { UPSTREAM_PASSWORD_SECRET: env.TEST_UPSTREAM_SECRET, UPSTREAM_TIMEOUT: '0.3', ...vars },
    { UPSTREAM_PASSWORDS: env.TEST_UPSTREAM },
  )
}

let counter = 0

/** An account that exists only upstream so far, with an id of the old system's kind. */
export async function seedUpstream(
  account: Partial<SeededAccount> = {},
): Promise<SeededAccount & { password: string }> {
  const tag = `${Date.now()}-${++counter}-${crypto.randomUUID().slice(0, 6)}`
  const seeded = {
    email: `old-${tag}@example.com`,
    password: UPSTREAM_PASSWORD,
    id: `legacy|${tag}`,
    ...account,
  }
  const response = await env.TEST_UPSTREAM.fetch('http://upstream/__seed', {
    method: 'POST',
    body: JSON.stringify(seeded),
  })
  if (!response.ok) throw new Error(`seeding the upstream failed: ${response.status}`)
  return seeded
}

/** How often the upstream has been asked about `email`. */
export async function upstreamCalls(email: string): Promise<number> {
  const response = await env.TEST_UPSTREAM.fetch(
    `http://upstream/__calls?email=${encodeURIComponent(email)}`,
  )
  return ((await response.json()) as { calls: number }).calls
}

/** A user imported without a password (`NO_PASSWORD`), as `npm run users:import` leaves one. */
export async function importWithoutPassword(id: string, email: string): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, '', ?)",
  )
    .bind(id, email, Date.now())
    .run()
}

export type UserRow = { id: string; email: string; password_hash: string; email_verified: number }

export async function userByEmail(email: string): Promise<UserRow | null> {
  return env.DB.prepare(
    'SELECT id, email, password_hash, email_verified FROM users WHERE email = ?',
  )
    .bind(email)
    .first<UserRow>()
}

export async function userById(id: string): Promise<UserRow | null> {
  return env.DB.prepare('SELECT id, email, password_hash, email_verified FROM users WHERE id = ?')
    .bind(id)
    .first<UserRow>()
}

/** Audit rows of `event` (of one user, when given) written since `since` (ms), oldest first. */
export async function auditOf(
  event: string,
  where: { userId?: string; since: number },
): Promise<{ user_id: string | null; detail: string | null }[]> {
  const { results } = await env.DB.prepare(
    'SELECT user_id, detail FROM audit_events WHERE event = ? AND at >= ? AND (? IS NULL OR user_id = ?) ORDER BY id',
  )
    .bind(event, where.since, where.userId ?? null, where.userId ?? null)
    .all<{ user_id: string | null; detail: string | null }>()
  return results
}

/** The account's failed sign-ins counted in its current window (the back-off's counter). */
export async function failuresCounted(email: string): Promise<number> {
  const { failKey } = await loginKeys(email, null)
  const row = await env.DB.prepare('SELECT count FROM rate_limits WHERE key = ?')
    .bind(failKey)
    .first<{ count: number }>()
  return row?.count ?? 0
}
