import { env } from 'cloudflare:workers'
import { FIXTURE_PASSWORD } from '../passwords/hash-fixtures.ts'

/** A user as an import leaves one: inserted straight into D1 with a hash from another system. */
export async function seedUser(passwordHash: string) {
  const user = { id: crypto.randomUUID(), email: `imported-${crypto.randomUUID()}@example.com` }
  await env.DB.prepare(
    'INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)',
  )
    .bind(user.id, user.email, passwordHash, Date.now())
    .run()
  return { ...user, password: FIXTURE_PASSWORD }
}

export async function storedHash(userId: string) {
  const row = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?')
    .bind(userId)
    .first<{ password_hash: string }>()
  return row!.password_hash
}
