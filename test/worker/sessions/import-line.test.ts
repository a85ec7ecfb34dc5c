import { describe, expect, test } from 'vitest'
import { createImportLineChecker } from '../../../worker/sessions/import-line.ts'

const NOW = Date.UTC(2026, 11, 1)
const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    id: 'u-1',
    email: 'A@Example.com',
    created_at: '2024-05-01T12:00:00Z',
    ...fields,
  })
const check = (text: string) => createImportLineChecker(NOW).check(text, 1)

describe('an import line', () => {
  test('becomes a user with the email normalised and both created_at forms read', () => {
    expect(check(line({ password_hash: BCRYPT, email_verified: true }))).toEqual({
      kind: 'user',
      user: {
        id: 'u-1',
        email: 'a@example.com',
        createdAt: Date.UTC(2024, 4, 1, 12),
        passwordHash: BCRYPT,
        emailVerified: true,
      },
    })
    const epoch = check(line({ created_at: 1714564800000, password_hash: null }))
    expect(epoch).toEqual({
      kind: 'user',
      user: { id: 'u-1', email: 'a@example.com', createdAt: 1714564800000 },
    })
    expect(check(line({ created_at: '2024-05-01T14:00:00.5+02:00' }))).toMatchObject({
      user: { createdAt: Date.UTC(2024, 4, 1, 12) + 500 },
    })
  })

  test('blank lines and CRLF endings are neither users nor refusals', () => {
    expect(check('   ')).toEqual({ kind: 'blank' })
    expect(check(`${line({})}\r`)).toMatchObject({ kind: 'user' })
  })

  test.each([
    ['{"id":', 'the line is not valid JSON'],
    ['[1]', 'the line must be one JSON object'],
    [line({ name: 'x' }), 'unknown key "name"'],
    ['{"id":"a","id":"b","email":"a@b.co","created_at":1714564800000}', 'key "id" given twice'],
    [
      '{"id":"a","\\u0069d":"b","email":"a@b.co","created_at":1714564800000}',
      'key "id" given twice',
    ],
    [line({ id: 42 }), 'id must be a string (quote numeric ids)'],
    [line({ id: '' }), 'id must be 1–128 characters'],
    [line({ id: 'has space' }), 'id must be 1–128 characters'],
    [line({ id: 'x'.repeat(129) }), 'id must be 1–128 characters'],
    [line({ email: 'not-an-email' }), 'email is not an email address'],
    [line({ email_verified: 'yes' }), 'email_verified must be true or false'],
    [line({ created_at: 1714564800 }), 'not seconds'],
    [line({ created_at: '2024-05-01 12:00:00+00' }), 'ISO 8601'],
    [line({ created_at: '2024-02-30T00:00:00Z' }), 'ISO 8601'],
    [line({ created_at: '2024-05-01T12:00:00' }), 'ISO 8601'],
    [line({ created_at: undefined }), 'created_at is required'],
    [line({ created_at: '2099-01-01T00:00:00Z' }), 'created_at is in the future'],
    [
      line({ password_hash: '$2b$31$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy' }),
      'bcrypt cost 31',
    ],
    [line({ password_hash: 'md5:5f4dcc3b5aa765d61d8327deb882cf99' }), 'not one Rotor can verify'],
    [line({ password_hash: 42 }), 'password_hash must be a string'],
    [`${line({ email: `${'a'.repeat(4100)}@x.co` })}`, 'longer than 4096'],
  ])('%s is refused: %s', (text, reason) => {
    const verdict = check(text)
    expect(verdict.kind).toBe('refused')
    expect((verdict as { reason: string }).reason).toContain(reason)
  })

  test('a refusal never quotes the hash or the line', () => {
    const hash = '$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g'
    const verdicts = [
      check(line({ password_hash: hash })),
      check(`{"password_hash":"${hash}", oops}`),
      check(`{"password_hash":"${hash}","password_hash":"${hash}"}`),
    ]
    for (const verdict of verdicts) {
      expect(verdict.kind).toBe('refused')
      expect(JSON.stringify(verdict)).not.toContain('c2FsdHNhbHRzYWx0')
    }
  })

  test('a later line repeating an id or an email is refused with the first line', () => {
    const checker = createImportLineChecker(NOW)
    expect(checker.check(line({}), 3).kind).toBe('user')
    expect(checker.check(line({ email: 'b@example.com' }), 4)).toEqual({
      kind: 'refused',
      id: 'u-1',
      reason: 'id already given on line 3',
    })
    expect(checker.check(line({ id: 'u-2', email: ' a@EXAMPLE.com ' }), 5)).toEqual({
      kind: 'refused',
      id: 'u-2',
      reason: 'email already given on line 3',
    })
  })
})
