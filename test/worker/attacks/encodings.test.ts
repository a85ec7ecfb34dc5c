import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { base64url } from 'jose'
import { expectIntact, expectRefusal, send, snapshot, useScene } from './helpers.ts'
import type { CallResult } from './helpers.ts'

// ASVS 5.1.4 and 5.2 (canonical input), RFC 8259 §8.1 (JSON is UTF-8): bytes that are not UTF-8,
// strings that are not Unicode, and bodies declared in another charset. Decoded leniently, two
// different byte sequences become the same U+FFFD and so the same password.
const scene = useScene({ attacker: true })
const { t } = scene

const json = { 'content-type': 'application/json' }
const formType = { 'content-type': 'application/x-www-form-urlencoded' }
const invalidInput = { status: 400, reason: 'INVALID_INPUT' }
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)),
  )

async function expectRefused(
  request: () => Promise<CallResult>,
  refusal: { status: number; reason: string },
  allowed: Record<string, number> = {},
) {
  return expectRefusal(t, scene.victim, request, refusal, { audit: allowed })
}

const registerBody = (email: string, password: (string | number[])[]) =>
  bytes(`{"email":"${email}","password":"`, ...password, '"}')

describe('credentials that are not Unicode text', () => {
  test('passwords of two different invalid byte sequences register nothing and sign nobody in', async () => {
    const email = `fffd-${crypto.randomUUID()}@example.com`
    const first = await send(t.app, '/trpc/auth.register', {
      method: 'POST',
      headers: json,
      body: registerBody(email, ['correct horse ', [0xff], ' staple']),
    })
    expect(first.status).toBe(400)
    expect(first.body.error.data.reason).toBe('INVALID_INPUT')
    const row = await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(email).first()
    expect(row).toBeNull()
    const second = await send(t.app, '/trpc/auth.login', {
      method: 'POST',
      headers: json,
      body: registerBody(email, ['correct horse ', [0xfe], ' staple']),
    })
    expect(second.status).toBe(400)
  })

  test.each([
    ['a lone high surrogate', '\\ud800'],
    ['a lone low surrogate', '\\udfff'],
    ['a reversed pair', '\\ude00\\ud83d'],
  ])('a password with %s is INVALID_INPUT at register and sign-in', async (_, escape) => {
    const email = `surrogate-${crypto.randomUUID()}@example.com`
    const password = `correct horse ${escape} staple`
    const register = await send(t.app, '/trpc/auth.register', {
      method: 'POST',
      headers: json,
      body: `{"email":"${email}","password":"${password}"}`,
    })
    expect(register.status).toBe(400)
    expect(register.body.error.message).toMatch(/password: .*surrogate/)
    await expectRefused(
      () =>
        send(t.app, '/trpc/auth.login', {
          method: 'POST',
          headers: json,
          body: `{"email":"${scene.victim.user.email}","password":"${password}"}`,
        }),
      invalidInput,
    )
  })

  test('a well-formed astral character (a surrogate pair) is a password like any other', async () => {
    const email = `astral-${crypto.randomUUID()}@example.com`
    const password = 'correct horse \\ud83d\\ude00 staple'
    const body = `{"email":"${email}","password":"${password}"}`
    expect(
      (await send(t.app, '/trpc/auth.register', { method: 'POST', headers: json, body })).status,
    ).toBe(200)
    expect(
      (await send(t.app, '/trpc/auth.login', { method: 'POST', headers: json, body })).status,
    ).toBe(200)
  })

  test('changePassword to a password with a lone surrogate changes nothing', async () => {
    await expectRefused(
      () =>
        send(t.app, '/trpc/auth.changePassword', {
          method: 'POST',
          headers: { ...json, authorization: `Bearer ${scene.victim.pair.accessToken}` },
          body: `{"currentPassword":"${scene.victim.user.password}","newPassword":"new horse \\udbff battery"}`,
        }),
      invalidInput,
    )
  })
})

describe('bodies declared in another charset (415)', () => {
  const unsupported = { status: 415, reason: 'INVALID_INPUT' }

  test.each(['utf-7', 'utf-16', 'UTF-16LE', '"utf-16be"', 'iso-8859-1'])(
    'a sign-in sent as application/json; charset=%s starts no session',
    async (charset) => {
      const body = JSON.stringify({
        email: scene.victim.user.email,
        password: scene.victim.user.password,
      })
      const result = await expectRefused(
        () =>
          send(t.app, '/trpc/auth.login', {
            method: 'POST',
            headers: { 'content-type': `application/json; charset=${charset}` },
            body,
          }),
        unsupported,
      )
      expect(result.body.error.message).toMatch(/UTF-8/)
    },
  )

  test('a sign-out sent as charset=utf-16 signs nobody out', async () => {
    await expectRefused(
      () =>
        send(t.app, '/trpc/auth.logoutAll', {
          method: 'POST',
          headers: {
            'content-type': 'application/json;charset=utf-16',
            authorization: `Bearer ${scene.victim.pair.accessToken}`,
          },
          body: '{}',
        }),
      unsupported,
    )
  })

  test('charset=utf-8, in any case or quoted, is JSON as usual', async () => {
    for (const charset of ['utf-8', 'UTF-8', '"utf-8"', 'utf8']) {
      const result = await send(t.app, '/trpc/auth.refresh', {
        method: 'POST',
        headers: { 'content-type': `application/json; charset=${charset}` },
        body: JSON.stringify({ refreshToken: scene.victim.pair.refreshToken }),
      })
      expect(result.status, charset).toBe(200)
      scene.victim.pair = result.body.result.data
    }
  })
})

describe('malformed UTF-8 and encodings', () => {
  test('a password with invalid UTF-8 bytes is INVALID_INPUT, not a guess', async () => {
    const body = bytes(
      `{"email":"${scene.victim.user.email}","password":"`,
      [0xc3, 0x28, 0xff],
      '"}',
    )
    const result = await expectRefused(
      () => send(t.app, '/trpc/auth.login', { method: 'POST', headers: json, body }),
      invalidInput,
    )
    expect(result.body.error.message).toMatch(/UTF-8/)
  })

  test('an email with an overlong-encoded @ is INVALID_INPUT', async () => {
    const [local, domain] = scene.victim.user.email.split('@')
    const body = bytes(
      `{"email":"${local}`,
      [0xc0, 0x80],
      `${domain}","password":"${scene.victim.user.password}"}`,
    )
    await expectRefused(
      () => send(t.app, '/trpc/auth.login', { method: 'POST', headers: json, body }),
      { status: 400, reason: 'INVALID_INPUT' },
    )
  })

  test('a UTF-16 body is INVALID_INPUT', async () => {
    const text = JSON.stringify({
      email: scene.victim.user.email,
      password: scene.victim.user.password,
    })
    const body = new Uint8Array([0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0), 0])])
    await expectRefused(
      () => send(t.app, '/trpc/auth.login', { method: 'POST', headers: json, body }),
      { status: 400, reason: 'INVALID_INPUT' },
    )
  })

  test('sessions.revoke of the victim’s id with a lone surrogate appended is SESSION_NOT_FOUND', async () => {
    await expectRefused(
      () =>
        send(t.app, '/trpc/sessions.revoke', {
          method: 'POST',
          headers: { ...json, authorization: `Bearer ${scene.attacker.pair.accessToken}` },
          body: `{"sessionId":"${scene.victim.pair.sessionId}\\ud800"}`,
        }),
      { status: 404, reason: 'SESSION_NOT_FOUND' },
    )
  })

  test('a refresh cookie with broken percent-encoding is REFRESH_TOKEN_INVALID', async () => {
    await expectRefused(
      () =>
        t.call(
          'auth.refresh',
          {},
          {
            headers: {
              origin: 'http://localhost:8787',
              cookie: `__Secure-rotor-refresh=${scene.victim.pair.refreshToken.slice(0, 40)}%FF%E0%A4`,
            },
          },
        ),
      { status: 401, reason: 'REFRESH_TOKEN_INVALID' },
    )
  })

  test('a bearer whose JWT header decodes to invalid UTF-8 is TOKEN_INVALID', async () => {
    const [, payload, signature] = scene.victim.pair.accessToken.split('.')
    const header = base64url.encode(
      bytes('{"alg":"ES256","typ":"at+jwt","kid":"', [0xff, 0xfe], '"}'),
    )
    await expectRefused(
      () => t.call('auth.logoutAll', {}, { token: `${header}.${payload}.${signature}` }),
      { status: 401, reason: 'TOKEN_INVALID' },
    )
  })

  test('an Authorization header with Latin-1 bytes is TOKEN_INVALID', async () => {
    // Not built from the victim's token: workerd echoes a non-ASCII header value in a warning.
    await expectRefused(
      () =>
        t.call(
          'auth.logoutAll',
          {},
          {
            headers: { authorization: 'Bearer eyJ\u00ff\u00e9.e30.sig' },
          },
        ),
      { status: 401, reason: 'TOKEN_INVALID' },
    )
  })

  test('/oauth/token with a refresh token of broken percent-encoding is invalid_grant', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await send(t.app, '/oauth/token', {
      method: 'POST',
      headers: formType,
      body: `grant_type=refresh_token&refresh_token=${scene.victim.pair.refreshToken.slice(0, 41)}%FF%FE`,
    })
    expect(result.status).toBe(400)
    expect(result.body).toMatchObject({ error: 'invalid_grant', reason: 'REFRESH_TOKEN_INVALID' })
    await expectIntact(t, scene.victim, before)
  })
})
