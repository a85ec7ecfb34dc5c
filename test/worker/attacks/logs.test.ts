import { beforeAll, describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { hash } from 'bcryptjs'
import {
  createTestIssuer,
  createVictim,
  expectIntact,
  failure,
  remember,
  send,
  snapshot,
  watchLogs,
} from './helpers.ts'
import { hashRefreshToken } from '../../../worker/tokens/refresh-token.ts'
import type { CallResult, TestIssuer, Victim } from './helpers.ts'

// DESIGN §9 and ASVS 7.1.1/7.1.2: no token, password or secret in a log line or an audit row. The
// error paths are the ones that log, so D1 goes down mid-flow while credentials are in flight.
const t = createTestIssuer()
let victim: Victim
let outage: TestIssuer
const logs = watchLogs()
beforeAll(async () => {
  victim = await createVictim(t)
  outage = createTestIssuer({}, { DB: unavailableD1() })
  remember(env.INTROSPECTION_SECRET)
})

/** A D1 binding that fails every statement the way D1 does when its primary is unreachable. */
function unavailableD1(): D1Database {
  const down = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'))
  const statement: Record<string, unknown> = { run: down, all: down, first: down, raw: down }
  statement.bind = () => statement
  return { prepare: () => statement, batch: down, exec: down } as unknown as D1Database
}

/** The real D1, except that statements whose SQL matches `failing` fail as in an outage. */
function flakyD1(failing: RegExp): D1Database {
  const down = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'))
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (query: string) => {
          if (!failing.test(query)) return target.prepare(query)
          const statement: Record<string, unknown> = {
            run: down,
            all: down,
            first: down,
            raw: down,
          }
          statement.bind = () => statement
          return statement
        }
      }
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

function expectOpaque500(result: CallResult) {
  expect(failure(result)).toEqual({ status: 500, reason: 'INTERNAL_ERROR' })
  const body = JSON.stringify(result.body)
  expect(body).not.toContain('D1_ERROR')
  expect(body).not.toContain(victim.user.password)
  expect(body).not.toContain(victim.pair.refreshToken)
}

describe('credentials in flight when D1 goes down', () => {
  test('a sign-in fails with an opaque 500 and starts no session', async () => {
    const before = await snapshot(victim.user.id)
    expectOpaque500(await outage.call('auth.login', victim.user))
    await expectIntact(t, victim, before)
  })

  test('a refresh fails with an opaque 500 and spends nothing', async () => {
    const before = await snapshot(victim.user.id)
    expectOpaque500(await outage.call('auth.refresh', { refreshToken: victim.pair.refreshToken }))
    await expectIntact(t, victim, before)
  })

  test('a password change fails with an opaque 500 and changes no password', async () => {
    const before = await snapshot(victim.user.id)
    const newPassword = `never stored ${crypto.randomUUID()}`
    remember(newPassword)
    const result = await outage.call(
      'auth.changePassword',
      { currentPassword: victim.user.password, newPassword },
      { token: victim.pair.accessToken },
    )
    expectOpaque500(result)
    expect(JSON.stringify(result.body)).not.toContain(newPassword)
    await expectIntact(t, victim, before)
  })

  test('/oauth/token fails with an opaque 500 and spends nothing', async () => {
    const before = await snapshot(victim.user.id)
    const result = await send(outage.app, '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: victim.pair.refreshToken,
      }),
    })
    expectOpaque500(result)
    await expectIntact(t, victim, before)
  })

  test('introspection fails with an opaque 500 and leaks neither the token nor the caller secret', async () => {
    const before = await snapshot(victim.user.id)
    const result = await send(outage.app, '/oauth/introspect', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${env.INTROSPECTION_SECRET}`,
      },
      body: new URLSearchParams({ token: victim.pair.accessToken }),
    })
    expectOpaque500(result)
    expect(JSON.stringify(result.body)).not.toContain(env.INTROSPECTION_SECRET)
    await expectIntact(t, victim, before)
  })
})

describe('what the operator sees', () => {
  test('the failures above were logged, and no log line holds a token, password or secret', async () => {
    const failures = logs.lines.filter((line) => line.includes('failed'))
    expect(failures.length).toBeGreaterThanOrEqual(5)
    for (const line of logs.lines) {
      for (const secret of [
        victim.user.password,
        victim.pair.accessToken,
        victim.pair.refreshToken,
        env.INTROSPECTION_SECRET,
      ]) {
        expect(line).not.toContain(secret)
      }
    }
    const before = await snapshot(victim.user.id)
    await expectIntact(t, victim, before)
  })

  test('no audit row of the victim holds a token, password or password hash', async () => {
    const before = await snapshot(victim.user.id)
    const wrong = `wrong ${crypto.randomUUID()}`
    remember(wrong)
    expect(
      failure(await t.call('auth.login', { email: victim.user.email, password: wrong })),
    ).toEqual({
      status: 401,
      reason: 'INVALID_CREDENTIALS',
    })
    const { results } = await env.DB.prepare('SELECT * FROM audit_events WHERE user_id = ?')
      .bind(victim.user.id)
      .all()
    const rows = JSON.stringify(results)
    for (const secret of [
      victim.user.password,
      wrong,
      victim.pair.accessToken,
      victim.pair.refreshToken,
      before.passwordHash,
    ]) {
      expect(rows).not.toContain(secret)
    }
    await expectIntact(t, victim, before, { audit: { 'login.failure': 1 } })
  })

  test('a D1 failure while upgrading a password hash logs no hash', async () => {
    const user = await createVictim(t)
    const foreign = await hash(user.user.password, 4)
    await t.issuer.store.updatePasswordHash(user.user.id, foreign)
    const before = await snapshot(user.user.id)
    const flaky = createTestIssuer({}, { DB: flakyD1(/^update "users" set "password_hash"/) })
    const from = logs.lines.length
    expectOpaque500(await flaky.call('auth.login', user.user))
    const lines = logs.lines.slice(from)
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line).not.toMatch(/\$argon2id\$|\$2b\$/)
    await expectIntact(t, user, before)
  })

  test('a D1 failure while looking up a refresh token logs neither the token nor its hash', async () => {
    const before = await snapshot(victim.user.id)
    const flaky = createTestIssuer({}, { DB: flakyD1(/^select .* from "refresh_tokens"/) })
    const from = logs.lines.length
    const result = await send(flaky.app, '/oauth/revoke', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: victim.pair.refreshToken }),
    })
    expectOpaque500(result)
    const tokenHash = await hashRefreshToken(victim.pair.refreshToken)
    const lines = logs.lines.slice(from)
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line).not.toContain(tokenHash)
    await expectIntact(t, victim, before)
  })
})
