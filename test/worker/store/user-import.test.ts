import { env } from 'cloudflare:workers'
import { describe, expect, test } from 'vitest'
import { NO_PASSWORD } from '../../../worker/passwords/hash-format.ts'
import { hashPassword } from '../../../worker/passwords/password-hash.ts'
import { createD1Store } from '../../../worker/store/d1-store.ts'
import type { ImportOptions, ImportUser } from '../../../worker/store/session-store.ts'

const store = createD1Store(env.DB)
const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'
const OTHER_BCRYPT = '$2b$12$KIXQJQ1y2r6Bq0h4m3uJ0eZcQy4sOqKq8o9QxZ8l9Wqf2m3Hh1a2u'
const OWN_PREFIX = '$scrypt$ln=15,r=8,p=3$'
const options: ImportOptions = {
  keepsHash: (stored) => stored.startsWith(OWN_PREFIX),
  noPassword: NO_PASSWORD,
  audit: { at: Date.now(), ip: '203.0.113.9', requestId: 'import-test' },
}

/** `count` users with ids and emails no other test uses. */
function users(count: number, fields: Partial<ImportUser> = {}): ImportUser[] {
  const run = crypto.randomUUID().slice(0, 8)
  return Array.from({ length: count }, (_, i) => ({
    id: `imp-${run}-${i}`,
    email: `imp-${run}-${i}@example.com`,
    createdAt: Date.UTC(2020, 0, 1) + i,
    passwordHash: BCRYPT,
    ...fields,
  }))
}

async function stored(ids: string[]) {
  const { results } = await env.DB.prepare(
    `SELECT id, email, password_hash AS hash, email_verified AS verified, created_at AS createdAt
     FROM users WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  )
    .bind(JSON.stringify(ids))
    .run()
  return results
}

const count = (outcomes: { outcome: string }[], outcome: string) =>
  outcomes.filter((o) => o.outcome === outcome).length

describe('importing users into D1', () => {
  test('1,000 users go in batches, keep their ids, and a second run changes nothing', async () => {
    const rows = users(1000)
    const audit = { ...options.audit, requestId: `batch-${crypto.randomUUID()}` }
    const first = await store.importUsers(rows, { ...options, audit })
    expect(count(first, 'imported')).toBe(1000)
    const after = await stored(rows.map((row) => row.id))
    expect(after).toHaveLength(1000)
    expect(after[0]).toMatchObject({ hash: BCRYPT, verified: 0, createdAt: rows[0]!.createdAt })
    const again = await store.importUsers(rows, { ...options, audit })
    expect(count(again, 'skipped')).toBe(1000)
    expect(await stored(rows.map((row) => row.id))).toEqual(after)
    // One audit row per batch that wrote something, with counts and no hash.
    const { results } = await env.DB.prepare(
      'SELECT detail, user_id FROM audit_events WHERE event = ? AND request_id = ?',
    )
      .bind('users.import', audit.requestId)
      .run<{ detail: string; user_id: string | null }>()
    expect(results).toHaveLength(10)
    expect(results[0]).toEqual({ detail: '{"imported":100,"updated":0}', user_id: null })
  })

  test('a run cut short and run again ends where one uninterrupted run does', async () => {
    const rows = users(250)
    await store.importUsers(rows.slice(0, 130), options)
    const rerun = await store.importUsers(rows, options)
    expect([count(rerun, 'skipped'), count(rerun, 'imported')]).toEqual([130, 120])
    const whole = users(250)
    await store.importUsers(whole, options)
    const strip = (list: Record<string, unknown>[]) =>
      list.map(({ hash, verified, createdAt }) => ({ hash, verified, createdAt }))
    expect(strip(await stored(rows.map((r) => r.id)))).toEqual(
      strip(await stored(whole.map((r) => r.id))),
    )
  })

  test('a changed email, flag or imported hash updates; absent fields keep what is stored', async () => {
    const [user] = users(1, { passwordHash: undefined })
    expect(await store.importUsers([user!], options)).toEqual([{ outcome: 'imported' }])
    expect((await stored([user!.id]))[0]).toMatchObject({ hash: NO_PASSWORD, verified: 0 })
    const changed = {
      ...user!,
      email: `new-${user!.email}`,
      emailVerified: true,
      passwordHash: BCRYPT,
    }
    expect(await store.importUsers([changed], options)).toEqual([{ outcome: 'updated' }])
    const again = { ...changed, passwordHash: OTHER_BCRYPT }
    expect(await store.importUsers([again], options)).toEqual([{ outcome: 'updated' }])
    const { emailVerified: _, passwordHash: __, ...bare } = again
    expect(await store.importUsers([bare], options)).toEqual([{ outcome: 'skipped' }])
    expect((await stored([user!.id]))[0]).toMatchObject({
      email: changed.email,
      hash: OTHER_BCRYPT,
      verified: 1,
      createdAt: user!.createdAt,
    })
  })

  test('never replaces a hash the user has since set here (the upgrade at sign-in)', async () => {
    const [user] = users(1)
    await store.importUsers([user!], options)
    const own = await hashPassword('upgraded at sign-in')
    await store.updatePasswordHash(user!.id, own)
    const reimport = { ...user!, passwordHash: OTHER_BCRYPT }
    expect(await store.importUsers([reimport], options)).toEqual([{ outcome: 'skipped' }])
    expect(await store.importUsers([{ ...reimport, emailVerified: true }], options)).toEqual([
      { outcome: 'updated' },
    ])
    expect((await stored([user!.id]))[0]).toMatchObject({ hash: own, verified: 1 })
  })

  test('refuses a row whose email another user holds, and imports the rest', async () => {
    const [holder, newcomer, mover] = users(3)
    await store.importUsers([holder!, mover!], options)
    const outcomes = await store.importUsers(
      [{ ...newcomer!, email: holder!.email }, { ...mover!, email: holder!.email }, newcomer!],
      options,
    )
    expect(outcomes).toEqual([
      { outcome: 'refused', reason: 'the email belongs to another user' },
      { outcome: 'refused', reason: 'the email belongs to another user' },
      { outcome: 'imported' },
    ])
    expect((await stored([mover!.id]))[0]).toMatchObject({ email: mover!.email })
  })
})
