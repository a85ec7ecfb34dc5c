import { describe, expect, test } from 'vitest'
import { createTestIssuer, failure, login, signIn } from '../helpers/issuer.ts'

describe('sessions.list and sessions.revoke', () => {
  test('lists the user’s live sessions with device, agent and which one is current', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t, { deviceName: 'Laptop' })
    t.advance(5)
    const phone = await login(t, user, { deviceName: 'Phone' })
    const list = await t.call('sessions.list', undefined, {
      token: pair.accessToken,
      headers: { 'user-agent': 'ignored on read' },
    })
    expect(list.status).toBe(200)
    const sessions = list.body.result.data
    expect(sessions.map((s: any) => [s.deviceName, s.current])).toEqual([
      ['Phone', false],
      ['Laptop', true],
    ])
    expect(sessions[0].id).toBe(phone.sessionId)
    expect(sessions[1].createdAt).toBe(sessions[1].lastUsedAt)
    expect(Object.keys(sessions[0])).toEqual(
      expect.arrayContaining([
        'id',
        'deviceName',
        'createdAt',
        'lastUsedAt',
        'userAgent',
        'current',
      ]),
    )
  })

  test('revoking a lost device signs that device out and removes it from the list', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const lost = await login(t, user)
    const out = await t.call(
      'sessions.revoke',
      { sessionId: lost.sessionId },
      { token: pair.accessToken },
    )
    expect(out.body.result.data).toEqual({ ok: true })
    expect(failure(await t.call('auth.me', undefined, { token: lost.accessToken }))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
    const list = await t.call('sessions.list', undefined, { token: pair.accessToken })
    expect(list.body.result.data.map((s: any) => s.id)).toEqual([pair.sessionId])
  })

  test('another user’s session cannot be revoked and looks the same as an unknown one', async () => {
    const t = createTestIssuer()
    const alice = await signIn(t)
    const bob = await signIn(t)
    const foreign = await t.call(
      'sessions.revoke',
      { sessionId: bob.pair.sessionId },
      { token: alice.pair.accessToken },
    )
    const unknown = await t.call(
      'sessions.revoke',
      { sessionId: crypto.randomUUID() },
      { token: alice.pair.accessToken },
    )
    expect(failure(foreign)).toEqual({ status: 404, reason: 'SESSION_NOT_FOUND' })
    expect(failure(unknown)).toEqual(failure(foreign))
    expect((await t.call('auth.me', undefined, { token: bob.pair.accessToken })).status).toBe(200)
  })

  test('every protected procedure refuses a missing or forged access token', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const [header, payload] = pair.accessToken.split('.')
    const cases: [string | undefined, string][] = [
      [undefined, 'TOKEN_MISSING'],
      ['not-a-jwt', 'TOKEN_INVALID'],
      [`${header}.${payload}.`, 'TOKEN_INVALID'],
      [`${header}.${payload}.${'A'.repeat(86)}`, 'TOKEN_INVALID'],
      ['e' + 'A'.repeat(9000), 'TOKEN_INVALID'],
    ]
    for (const [token, reason] of cases) {
      for (const path of ['auth.me', 'sessions.list']) {
        expect(failure(await t.call(path, undefined, token ? { token } : {}))).toEqual({
          status: 401,
          reason,
        })
      }
    }
    const basic = await t.call('auth.me', undefined, { headers: { authorization: 'Basic abc' } })
    expect(failure(basic)).toEqual({ status: 401, reason: 'TOKEN_INVALID' })
  })
})

describe('bearer scheme', () => {
  test('the scheme is case-insensitive (RFC 9110)', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const me = await t.call('auth.me', undefined, {
        headers: { authorization: `${scheme} ${pair.accessToken}` },
      })
      expect(me.status).toBe(200)
    }
  })
})
