import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createTestIssuer, failure, registerUser, send, signIn } from '../helpers/issuer.ts'
import { watchLogs } from '../attacks/helpers.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

// An operator holding a user's complaint, a Cloudflare ray id or a log line of a 500 finds the
// request's audit rows by one id: Cloudflare's `cf-ray`, or one generated where there is none.
const logs = watchLogs()
const ray = () => `${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}-LHR`

async function auditRows(userId: string) {
  const { results } = await env.DB.prepare(
    'SELECT event, request_id AS requestId FROM audit_events WHERE user_id = ? ORDER BY id',
  )
    .bind(userId)
    .all<{ event: string; requestId: string | null }>()
  return results
}

function loggedLine(requestId: string): Record<string, unknown> | undefined {
  const line = logs.lines.find((entry) => entry.includes(requestId))
  return line === undefined ? undefined : JSON.parse(line)
}

/** The real D1, except that statements whose SQL matches `failing` fail as in an outage. */
function failingD1(failing: RegExp): D1Database {
  const down = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'))
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (query: string) => {
          if (!failing.test(query)) return target.prepare(query)
          const statement: Record<string, unknown> = { run: down, all: down, first: down }
          statement.bind = () => statement
          return statement
        }
      }
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

const loginWith = (t: TestIssuer, user: { email: string; password: string }, cfRay?: string) =>
  t.call('auth.login', user, { headers: cfRay === undefined ? {} : { 'cf-ray': cfRay } })

describe('request ids on audit rows', () => {
  test("a sign-in's audit row carries the request's cf-ray, and audit.list shows it", async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const id = ray()
    const signedIn = await loginWith(t, user, id)
    expect(signedIn.status).toBe(200)
    expect((await auditRows(user.id)).at(-1)).toEqual({ event: 'login.success', requestId: id })
    const { accessToken } = signedIn.body.result.data
    const listed = await t.call('audit.list', undefined, { token: accessToken })
    expect(listed.body.result.data[0]).toMatchObject({ event: 'login.success', requestId: id })
  })

  test("a refresh's audit row (the rotation's own SQL) carries its request's cf-ray", async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const id = ray()
    const refreshed = await t.call(
      'auth.refresh',
      { refreshToken: pair.refreshToken },
      { headers: { 'cf-ray': id } },
    )
    expect(refreshed.status).toBe(200)
    expect((await auditRows(user.id)).at(-1)).toEqual({ event: 'refresh', requestId: id })
  })

  test('without a cf-ray (or with one that is no ray id) each request gets its own id', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    await loginWith(t, user)
    await loginWith(t, user, 'not a ray id; "injected": true')
    const [registered, first, second] = await auditRows(user.id)
    for (const row of [registered, first, second]) {
      expect(row?.requestId).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(new Set([registered, first, second].map((row) => row?.requestId)).size).toBe(3)
  })
})

describe('request ids on logged failures', () => {
  test('a tRPC procedure that fails with a 500 logs the request id it was sent', async () => {
    const outage = createTestIssuer({}, { DB: failingD1(/./) })
    const id = ray()
    const result = await outage.call(
      'auth.login',
      { email: 'someone@example.com', password: 'whatever it is' },
      { headers: { 'cf-ray': id } },
    )
    expect(failure(result)).toEqual({ status: 500, reason: 'INTERNAL_ERROR' })
    expect(loggedLine(id)).toMatchObject({ level: 'error', msg: 'procedure failed', requestId: id })
  })

  test('a route outside tRPC that fails with a 500 logs the request id it was sent', async () => {
    const outage = createTestIssuer({}, { DB: failingD1(/./) })
    const id = ray()
    const result = await send(outage.app, '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-ray': id },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x'.repeat(43) }),
    })
    expect(result.status).toBe(500)
    expect(loggedLine(id)).toMatchObject({ level: 'error', msg: 'request failed', requestId: id })
  })

  test('a request that wrote an audit row and then failed logs the id its row carries', async () => {
    // The rotation (and its audit row) succeeds; flagging the refresh from abroad then fails.
    const t = createTestIssuer({}, { DB: failingD1(/set "flagged_at"/) })
    const user = await registerUser(t)
    const from = (country: string, path: string, input: unknown) =>
      send(t.app, `/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
        cf: { country },
      })
    const pair = (await from('DE', 'auth.login', user)).body.result.data
    const result = await from('BR', 'auth.refresh', { refreshToken: pair.refreshToken })
    expect(failure(result)).toEqual({ status: 500, reason: 'INTERNAL_ERROR' })
    const refreshRow = (await auditRows(user.id)).find((row) => row.event === 'refresh')
    expect(refreshRow?.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(loggedLine(refreshRow!.requestId!)).toMatchObject({ msg: 'procedure failed' })
  })
})
