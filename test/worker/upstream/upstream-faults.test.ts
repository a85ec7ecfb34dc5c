import { describe, expect, test, vi } from 'vitest'
import { createTestIssuer, failure, login } from '../helpers/issuer.ts'
import {
  createUpstreamIssuer,
  failuresCounted,
  seedUpstream,
  upstreamCalls,
  userByEmail,
} from './helpers.ts'
import type { Behaviour } from './password-service.ts'

const faults: [string, Behaviour][] = [
  ['throws instead of answering', 'down'],
  ['answers after the timeout', 'slow'],
  ['answers 500', 'error'],
  ['answers 200 with broken JSON', 'malformed'],
  ['answers 200 with a 1 MiB body', 'oversized'],
  ['redirects elsewhere', 'redirect'],
  ['vouches with an id that is no id', 'bad-id'],
  ['vouches for another email', 'other-email'],
]

describe('lazy migration when the upstream fails', () => {
  test.each(faults)(
    'an upstream that %s: 503 UPSTREAM_UNAVAILABLE, nothing created, no failure counted',
    async (_, behaviour) => {
      const t = createUpstreamIssuer()
      const account = await seedUpstream({ behaviour })
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
      try {
        const result = await t.call('auth.login', account)
        expect(failure(result)).toEqual({ status: 503, reason: 'UPSTREAM_UNAVAILABLE' })
        expect(result.headers.get('retry-after')).toBe('5')
        const lines = errors.mock.calls.map(([line]) => String(line))
        expect(lines.some((line) => line.includes('upstream password service unavailable'))).toBe(
          true,
        )
        for (const line of lines) {
          expect(line).not.toContain(account.email)
          expect(line).not.toContain(account.password)
        }
      } finally {
        errors.mockRestore()
      }
      expect(await userByEmail(account.email)).toBeNull()
      expect(await failuresCounted(account.email)).toBe(0)
      expect(await upstreamCalls(account.email)).toBe(1)
    },
  )

  test('once the upstream recovers, the same user signs in and is created', async () => {
    const t = createUpstreamIssuer()
    const account = await seedUpstream({ behaviour: 'error' })
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(failure(await t.call('auth.login', account)).status).toBe(503)
    errors.mockRestore()
    await seedUpstream({ ...account, behaviour: 'ok' })
    expect((await login(t, account)).user.id).toBe(account.id)
  })

  test('an upstream URL nothing listens on is UPSTREAM_UNAVAILABLE too', async () => {
    const t = createTestIssuer({
      UPSTREAM_PASSWORD_URL: 'http://127.0.0.1:9/check-password',
      UPSTREAM_PASSWORD_SECRET: 'x'.repeat(40),
      UPSTREAM_TIMEOUT: '1',
    })
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const email = `nobody-${crypto.randomUUID()}@example.com`
    const result = await t.call('auth.login', { email, password: 'whatever it is' })
    errors.mockRestore()
    expect(failure(result)).toEqual({ status: 503, reason: 'UPSTREAM_UNAVAILABLE' })
    expect(await userByEmail(email)).toBeNull()
  })

  test('without an upstream configured, an unknown email is simply INVALID_CREDENTIALS', async () => {
    const t = createTestIssuer()
    const account = await seedUpstream()
    expect(failure(await t.call('auth.login', account))).toEqual({
      status: 401,
      reason: 'INVALID_CREDENTIALS',
    })
    expect(await upstreamCalls(account.email)).toBe(0)
  })
})
