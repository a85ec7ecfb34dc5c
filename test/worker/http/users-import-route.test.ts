import { describe, expect, test } from 'vitest'
import { ROUTES } from '../../../contract/index.ts'
import { createTestIssuer, registerUser } from '../helpers/issuer.ts'

const ADMIN_SECRET = 'operator-secret-operator-secret-0123456789'
const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'
const JSONL = { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN_SECRET}` }

function lines(count: number) {
  const run = crypto.randomUUID().slice(0, 8)
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `route-${run}-${i}`,
      email: `route-${run}-${i}@example.com`,
      password_hash: BCRYPT,
      created_at: '2023-01-02T03:04:05Z',
    }),
  )
}

describe('POST /admin/users/import', () => {
  const t = createTestIssuer({ ADMIN_SECRET })
  const post = (body: string, headers: Record<string, string> = JSONL) =>
    t.request(ROUTES.usersImport, { method: 'POST', headers, body })

  test('imports a file, reports refused lines by number, and a re-run skips', async () => {
    const registered = await registerUser(t)
    const good = lines(3)
    const body = [
      good[0],
      '',
      '{"id": "broken"',
      good[1],
      JSON.stringify({ id: 'taken-1', email: registered.email, created_at: 1700000000000 }),
      good[1],
      good[2],
    ].join('\n')
    const response = await post(body)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const report = await response.json()
    expect(report).toEqual({
      summary: { imported: 3, updated: 0, skipped: 0, refused: 3 },
      refused: [
        { line: 3, reason: 'the line is not valid JSON' },
        { line: 5, id: 'taken-1', reason: 'the email belongs to another user' },
        { line: 6, id: JSON.parse(good[1]!).id, reason: 'id already given on line 4' },
      ],
    })
    expect(JSON.stringify(report)).not.toContain(BCRYPT)
    const again = await (await post(good.join('\n'))).json()
    expect(again).toEqual({
      summary: { imported: 0, updated: 0, skipped: 3, refused: 0 },
      refused: [],
    })
    // Imported ids are the users' own: the legacy path finds them by a legacy token's `sub`.
    const { id, email } = JSON.parse(good[0]!)
    expect(await t.issuer.store.findUserById(id)).toMatchObject({ email, passwordHash: BCRYPT })
    const client = { userAgent: 'ImportRoute/1', appVersion: '' }
    const legacy = await t.issuer.store.recordLegacyUse(
      { at: t.issuer.now(), userId: id, client },
      false,
    )
    expect(legacy).toEqual({ id, email })
  })

  test('takes 1,000 lines in one call and refuses more', async () => {
    const thousand = lines(1000)
    const report = (await (await post(thousand.join('\n'))).json()) as any
    expect(report.summary).toEqual({ imported: 1000, updated: 0, skipped: 0, refused: 0 })
    const tooMany = await post(lines(1001).join('\n'))
    expect(tooMany.status).toBe(400)
    expect(((await tooMany.json()) as any).error.data.reason).toBe('INVALID_INPUT')
  })

  test('refuses callers without the operator secret, and everyone when it is unset', async () => {
    const body = lines(1)[0]!
    for (const authorization of ['', 'Bearer wrong', `Bearer ${ADMIN_SECRET}x`]) {
      const response = await post(body, { ...JSONL, authorization })
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
    }
    const unset = createTestIssuer()
    const response = await unset.request(ROUTES.usersImport, {
      method: 'POST',
      headers: JSONL,
      body,
    })
    expect(response.status).toBe(401)
    expect(await t.issuer.store.findUserById(JSON.parse(body).id)).toBeUndefined()
  })

  test('refuses other media types, other charsets, bodies that are not UTF-8, and GET', async () => {
    const body = lines(1)[0]!
    const json = await post(body, { ...JSONL, 'content-type': 'application/json' })
    expect(json.status).toBe(415)
    const latin1 = await post(body, {
      ...JSONL,
      'content-type': 'application/x-ndjson; charset=latin1',
    })
    expect(latin1.status).toBe(415)
    const bytes = new Uint8Array([...new TextEncoder().encode(body.slice(0, -1)), 0xff, 0x7d])
    const notUtf8 = await t.request(ROUTES.usersImport, {
      method: 'POST',
      headers: JSONL,
      body: bytes,
    })
    expect(notUtf8.status).toBe(400)
    const get = await t.request(ROUTES.usersImport, { headers: JSONL })
    expect(get.status).toBe(405)
    expect(await t.issuer.store.findUserById(JSON.parse(body).id)).toBeUndefined()
  })

  test('takes bodies up to 1 MiB while every other route keeps its 8 KiB limit', async () => {
    const padded = `${lines(1)[0]}\n${' '.repeat(200 * 1024)}`
    expect((await post(padded)).status).toBe(200)
    expect((await post(' '.repeat(1024 * 1024 + 1))).status).toBe(413)
    const login = await t.call('auth.login', { email: `${'a'.repeat(9000)}@x.co`, password: 'x' })
    expect(login.status).toBe(413)
  })
})
