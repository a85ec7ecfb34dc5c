import { describe, expect, test } from 'vitest'
import { createHarness, EMAIL, PASSWORD, requestsTo } from './helpers/harness.ts'
import type { SignedOutReason, TokenStorage } from '../../client/index.ts'

/** A storage that fails the test if cookie mode ever touches it. */
const untouchable: TokenStorage = {
  get: () => expect.fail('cookie mode read the storage'),
  set: () => expect.fail('cookie mode wrote the storage'),
  delete: () => expect.fail('cookie mode cleared the storage'),
}

describe('cookie mode', () => {
  test('the refresh token stays in the cookie: never in a response body, storage or API', async () => {
    const { server, client, advance } = createHarness()
    const rotor = client({ delivery: 'cookie', storage: untouchable })
    const session = await rotor.login({ email: EMAIL, password: PASSWORD })
    const cookie = server.jar.cookie!
    expect(cookie).toMatch(/^rt-/)
    expect(server.issuedRefreshTokens).toEqual([])
    advance(880)
    await rotor.auth.me.query()
    expect(server.refreshCount()).toBe(1)
    expect(server.jar.cookie).not.toBe(cookie)
    const visible = JSON.stringify([session, rotor.getSession(), await rotor.getAccessToken()])
    expect(visible).not.toContain(cookie)
    expect(visible).not.toContain(server.jar.cookie)
    const [refresh] = requestsTo(server, 'auth.refresh')
    expect(refresh!.body).toBeUndefined()
  })

  test('every request sends credentials, so the browser sends and stores the cookie', async () => {
    const { server, client, advance } = createHarness()
    const rotor = client({ delivery: 'cookie' })
    await rotor.login({ email: EMAIL, password: PASSWORD })
    advance(880)
    await Promise.all([rotor.sessions.list.query(), rotor.auth.me.query()])
    expect(server.requests.at(-1)!.paths).toEqual(['sessions.list', 'auth.me'])
    expect(server.requests.every((r) => r.credentials === 'include')).toBe(true)
  })

  test('body mode sends no credentials: Workers and Node need none', async () => {
    const { server, signedIn } = createHarness()
    const rotor = await signedIn()
    await rotor.auth.me.query()
    expect(server.requests.every((r) => r.credentials === undefined)).toBe(true)
  })

  test('a reloaded page resumes the session from the cookie, with no sign-out event', async () => {
    const { server, client } = createHarness()
    await client({ delivery: 'cookie' }).login({ email: EMAIL, password: PASSWORD })
    const reloaded = client({ delivery: 'cookie' })
    const reasons: SignedOutReason[] = []
    reloaded.onSignedOut((reason) => reasons.push(reason))
    await expect(reloaded.auth.me.query()).resolves.toMatchObject({ email: EMAIL })
    expect(server.refreshCount()).toBe(1)
    expect(reasons).toEqual([])
  })

  test('a page with no cookie learns it is signed out once, without an event', async () => {
    const { server, client } = createHarness()
    const rotor = client({ delivery: 'cookie' })
    const reasons: SignedOutReason[] = []
    rotor.onSignedOut((reason) => reasons.push(reason))
    expect(await rotor.getAccessToken()).toBeNull()
    expect(await rotor.getAccessToken()).toBeNull()
    expect(server.refreshCount()).toBe(1)
    expect(reasons).toEqual([])
  })

  test('a cookie that vanished mid-session (cleared elsewhere) signs out with TOKEN_MISSING', async () => {
    const { server, client, advance } = createHarness()
    const rotor = client({ delivery: 'cookie' })
    await rotor.login({ email: EMAIL, password: PASSWORD })
    const reasons: SignedOutReason[] = []
    rotor.onSignedOut((reason) => reasons.push(reason))
    server.jar.cookie = null
    advance(880)
    await rotor.auth.me.query().catch(() => undefined)
    expect(reasons).toEqual(['TOKEN_MISSING'])
  })

  test('the password goes out in the login request and in no other', async () => {
    const { server, client, advance } = createHarness()
    const rotor = client({ delivery: 'cookie' })
    await rotor.login({ email: EMAIL, password: PASSWORD })
    advance(880)
    await rotor.auth.me.query()
    await rotor.logout()
    const carrying = server.requests.filter((r) => r.body?.includes(PASSWORD))
    expect(carrying.map((r) => r.paths)).toEqual([['auth.login']])
  })

  test('logout clears the cookie and the in-memory token', async () => {
    const { server, client } = createHarness()
    const rotor = client({ delivery: 'cookie' })
    await rotor.login({ email: EMAIL, password: PASSWORD })
    await rotor.logout()
    expect(server.jar.cookie).toBeNull()
    expect(rotor.getSession()).toBeNull()
    expect(await rotor.getAccessToken()).toBeNull()
  })
})
