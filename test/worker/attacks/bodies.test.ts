import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { expectRefusal, send, useScene } from './helpers.ts'
import type { CallResult } from './helpers.ts'

// ASVS 5.1 (input validation), 12.1 (request size), OWASP REST cheat sheet: bodies over the 8 KiB
// cap, bodies that hide their size, deep nesting and prototype keys (malformed UTF-8 and charsets:
// encodings.test.ts). Each one carries something that would hurt the victim if it were processed.
const scene = useScene({ attacker: true })
const { t } = scene

const json = { 'content-type': 'application/json' }
const formType = { 'content-type': 'application/x-www-form-urlencoded' }
const pad = 'x'.repeat(9000)

async function expectRefused(
  request: () => Promise<CallResult>,
  refusal: { status: number; reason: string },
  allowed: Record<string, number> = {},
) {
  await expectRefusal(t, scene.victim, request, refusal, { audit: allowed })
}

describe('bodies over the 8 KiB cap (ASVS 12.1.1)', () => {
  const tooLarge = { status: 413, reason: 'PAYLOAD_TOO_LARGE' }

  test('/oauth/revoke with the victim’s refresh token in a 9 KB form revokes nothing', async () => {
    await expectRefused(
      () =>
        send(t.app, '/oauth/revoke', {
          method: 'POST',
          headers: formType,
          body: `token=${scene.victim.pair.refreshToken}&pad=${pad}`,
        }),
      tooLarge,
    )
  })

  test('/oauth/token with the victim’s refresh token in a 9 KB form rotates nothing', async () => {
    await expectRefused(
      () =>
        send(t.app, '/oauth/token', {
          method: 'POST',
          headers: formType,
          body: `grant_type=refresh_token&refresh_token=${scene.victim.pair.refreshToken}&pad=${pad}`,
        }),
      tooLarge,
    )
  })

  test('a sign-out streamed without Content-Length past 8 KiB signs nobody out', async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(`{"refreshToken":"${scene.victim.pair.refreshToken}","pad":"`),
        )
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)))
        controller.enqueue(new TextEncoder().encode('"}'))
        controller.close()
      },
    })
    await expectRefused(
      () =>
        send(t.app, '/trpc/auth.logout', {
          method: 'POST',
          headers: json,
          body,
          duplex: 'half',
        } as RequestInit),
      tooLarge,
    )
  })

  test('a 9 KB registration creates no user', async () => {
    const email = `big-${crypto.randomUUID()}@example.com`
    await expectRefused(() => t.call('auth.register', { email, password: pad }), tooLarge)
    const row = await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(email).first()
    expect(row).toBeNull()
  })
})

describe('deep nesting and prototype keys (ASVS 5.1.3)', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`

  test('logoutAll with keepCurrent nested 3,000 deep is refused, not read as “sign out all”', async () => {
    await expectRefused(
      () =>
        send(t.app, '/trpc/auth.logoutAll', {
          method: 'POST',
          headers: { ...json, authorization: `Bearer ${scene.victim.pair.accessToken}` },
          body: `{"keepCurrent":${deep(3000)}}`,
        }),
      { status: 400, reason: 'INVALID_INPUT' },
    )
  })

  test('a login whose email is nested 4,000 deep is INVALID_INPUT', async () => {
    await expectRefused(
      () =>
        send(t.app, '/trpc/auth.login', {
          method: 'POST',
          headers: json,
          body: `{"email":${deep(4000)},"password":"${scene.victim.user.password}"}`,
        }),
      { status: 400, reason: 'INVALID_INPUT' },
    )
  })

  test('sessions.revoke with the victim’s id only on __proto__ revokes nothing', async () => {
    await expectRefused(
      () =>
        send(t.app, '/trpc/sessions.revoke', {
          method: 'POST',
          headers: { ...json, authorization: `Bearer ${scene.attacker.pair.accessToken}` },
          body: `{"__proto__":{"sessionId":"${scene.victim.pair.sessionId}"}}`,
        }),
      { status: 400, reason: 'INVALID_INPUT' },
    )
  })
})
