import { describe, expect, test } from 'vitest'
import { createTestIssuer, failure, registerUser, send } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0'
const firefoxNext = 'Mozilla/5.0 (X11; Linux x86_64; rv:141.0) Gecko/20100101 Firefox/141.0'
const curl = 'curl/8.11.1'

/** A tRPC mutation as Cloudflare delivers it: with `request.cf.country` set by the edge. */
function from(t: TestIssuer, path: string, input: unknown, where: { country: string; ua: string }) {
  return send(t.app, `/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': where.ua },
    body: JSON.stringify(input),
    cf: { country: where.country },
  })
}

async function session(t: TestIssuer) {
  const user = await registerUser(t)
  const pair = (await from(t, 'auth.login', user, { country: 'DE', ua: firefox })).body.result.data
  return { user, pair }
}

describe('anomaly flags', () => {
  test('a refresh from a new country is flagged on the session and audited, once', async () => {
    const t = createTestIssuer()
    const { pair } = await session(t)
    const abroad = await from(
      t,
      'auth.refresh',
      { refreshToken: pair.refreshToken },
      { country: 'BR', ua: firefox },
    )
    expect(abroad.status).toBe(200)
    const renewed = abroad.body.result.data
    await from(
      t,
      'auth.refresh',
      { refreshToken: renewed.refreshToken },
      { country: 'BR', ua: firefox },
    )
    const list = await t.call('sessions.list', undefined, { token: renewed.accessToken })

    expect(list.body.result.data[0]).toMatchObject({
      country: 'DE',
      flagged: { reason: 'new-country' },
    })
    const audit = await t.call('audit.list', undefined, { token: renewed.accessToken })
    const anomalies = audit.body.result.data.filter((e: any) => e.event === 'refresh.anomaly')
    expect(anomalies).toHaveLength(1)
    expect(anomalies[0]).toMatchObject({
      country: 'BR',
      detail: 'new-country',
      sessionId: pair.sessionId,
    })
  })

  test('a browser update is not an anomaly; another client is', async () => {
    const t = createTestIssuer()
    const { pair } = await session(t)
    const updated = await from(
      t,
      'auth.refresh',
      { refreshToken: pair.refreshToken },
      { country: 'DE', ua: firefoxNext },
    )
    let list = await t.call('sessions.list', undefined, {
      token: updated.body.result.data.accessToken,
    })
    expect(list.body.result.data[0].flagged).toBeNull()
    const other = await from(
      t,
      'auth.refresh',
      { refreshToken: updated.body.result.data.refreshToken },
      { country: 'DE', ua: curl },
    )
    list = await t.call('sessions.list', undefined, { token: other.body.result.data.accessToken })
    expect(list.body.result.data[0].flagged).toMatchObject({ reason: 'new-user-agent' })
  })

  test('with ANOMALY_POLICY=reauth such a refresh ends the session', async () => {
    const t = createTestIssuer({ ANOMALY_POLICY: 'reauth' })
    const { pair } = await session(t)
    const abroad = await from(
      t,
      'auth.refresh',
      { refreshToken: pair.refreshToken },
      { country: 'BR', ua: firefox },
    )
    expect(failure(abroad)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
    expect(failure(await t.call('auth.me', undefined, { token: pair.accessToken }))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
  })
})

describe('audit.list', () => {
  test('shows the user’s own security events, newest first, with no secrets', async () => {
    const t = createTestIssuer()
    const { user, pair } = await session(t)
    t.advance(1)
    await from(
      t,
      'auth.login',
      { ...user, password: 'not the password' },
      { country: 'DE', ua: firefox },
    )
    t.advance(1)
    await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    const other = await session(t)
    const events = (await t.call('audit.list', undefined, { token: pair.accessToken })).body.result
      .data
    expect(events.map((e: any) => e.event)).toEqual([
      'refresh',
      'login.failure',
      'login.success',
      'register',
    ])
    expect(events[2]).toMatchObject({
      country: 'DE',
      userAgent: firefox,
      sessionId: pair.sessionId,
    })
    const text = JSON.stringify(events)
    for (const secret of [pair.refreshToken, pair.accessToken, user.password, 'not the password']) {
      expect(text).not.toContain(secret)
    }
    expect(text).not.toContain(other.pair.sessionId)
  })
})
