import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { decodeJwt } from 'jose'
import { createTestIssuer, failure, login, registerUser, signIn } from '../helpers/issuer.ts'
import { legacyIssuer, legacyUser } from '../legacy/helpers.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

// RFC 9068 §2.2: every access token names the first-party client its session was started for.
const clientOf = (accessToken: string) => decodeJwt(accessToken).client_id

async function listed(t: TestIssuer, accessToken: string) {
  const result = await t.call('sessions.list', undefined, { token: accessToken })
  return result.body.result.data as { id: string; clientId: string }[]
}

describe('the client a session is started for', () => {
  test('a sign-in that names no client gets the first of CLIENT_IDS', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    expect(t.issuer.config.clientIds).toEqual({
      ids: ['web', 'ios', 'android', 'cli'],
      default: 'web',
    })
    expect(clientOf(pair.accessToken)).toBe('web')
    expect(await listed(t, pair.accessToken)).toMatchObject([{ clientId: 'web' }])
  })

  test('the chosen client is in every access token of the session, across refreshes', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t, { clientId: 'android' })
    expect(clientOf(pair.accessToken)).toBe('android')
    const refreshed = await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    const next = refreshed.body.result.data
    expect(clientOf(next.accessToken)).toBe('android')
    t.advance(3)
    // Within the grace window the parent gets the same successor back, and the same client.
    const again = await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    expect(clientOf(again.body.result.data.accessToken)).toBe('android')
    expect(await listed(t, next.accessToken)).toMatchObject([{ clientId: 'android' }])
  })

  test('each session of a user keeps its own client in sessions.list', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const phone = await login(t, user, { clientId: 'ios' })
    const terminal = await login(t, user, { clientId: 'cli' })
    const sessions = await listed(t, terminal.accessToken)
    const byId = Object.fromEntries(sessions.map((session) => [session.id, session.clientId]))
    expect(byId).toEqual({ [phone.sessionId]: 'ios', [terminal.sessionId]: 'cli' })
  })

  test('an unknown client is INVALID_INPUT before the password is checked or counted', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '1/900' })
    const user = await registerUser(t)
    for (const clientId of ['desktop', 'WEB', '', 'x'.repeat(33)]) {
      const result = await t.call('auth.login', { ...user, clientId })
      expect(failure(result)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
    }
    const wrong = await t.call('auth.login', { ...user, password: 'wrong', clientId: 'desktop' })
    expect(failure(wrong)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
    expect(wrong.body.error.message).toBe(
      'Unknown clientId: it must be one of web, ios, android, cli',
    )
    // Nothing was counted against the account (its limit is one failure): sign-in still works.
    expect(clientOf((await login(t, user, { clientId: 'ios' })).accessToken)).toBe('ios')
  })

  test('CLIENT_IDS sets the list and the default', async () => {
    const t = createTestIssuer({ CLIENT_IDS: 'tv, kiosk' })
    const { user, pair } = await signIn(t)
    expect(clientOf(pair.accessToken)).toBe('tv')
    expect(clientOf((await login(t, user, { clientId: 'kiosk' })).accessToken)).toBe('kiosk')
    const web = await t.call('auth.login', { ...user, clientId: 'web' })
    expect(failure(web)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
  })

  test('a session begun before clients were recorded refreshes as the default client', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t, { clientId: 'ios' })
    await env.DB.prepare('UPDATE sessions SET client_id = NULL WHERE id = ?')
      .bind(pair.sessionId)
      .run()
    const refreshed = await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    expect(clientOf(refreshed.body.result.data.accessToken)).toBe('web')
  })

  test('introspection answers the client_id (RFC 7662 §2.2)', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t, { clientId: 'cli' })
    const response = await t.request('/oauth/introspect', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${env.INTROSPECTION_SECRET}`,
      },
      body: new URLSearchParams({ token: pair.accessToken }).toString(),
    })
    expect(await response.json()).toMatchObject({ active: true, client_id: 'cli' })
  })

  test('a legacy exchange chooses its client the same way', async () => {
    const t = legacyIssuer('monitor')
    const { token } = await legacyUser(t)
    const exchanged = await t.call('auth.exchangeLegacy', { token, clientId: 'ios' })
    expect(clientOf(exchanged.body.result.data.accessToken)).toBe('ios')
    const plain = await t.call('auth.exchangeLegacy', { token })
    expect(clientOf(plain.body.result.data.accessToken)).toBe('web')
    const unknown = await t.call('auth.exchangeLegacy', { token, clientId: 'desktop' })
    expect(failure(unknown)).toEqual({ status: 400, reason: 'INVALID_INPUT' })
  })
})
