import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseEnv } from 'node:util'
import { describe, expect, test } from 'vitest'
import { callTrpc } from './helpers/trpc.ts'
import { spawnWranglerDev, useWranglerDev, waitForHealthy } from './helpers/wrangler-dev.ts'

const PASSWORD = 'correct horse battery staple'

describe('a newcomer over HTTP, against `npm run dev`', () => {
  const devServer = useWranglerDev()

  test('signs up, refreshes, and signing out ends every access token the session had', async () => {
    const dev = devServer()
    const first = await signUp(dev.url, 'newcomer@example.com')
    const me = await callTrpc(dev.url, 'auth.me', { query: true, token: first.accessToken })
    expect(me).toMatchObject({ status: 200, body: { result: { data: first.user } } })

    const refreshed = await callTrpc(dev.url, 'auth.refresh', {
      input: { refreshToken: first.refreshToken },
    })
    expect(refreshed.status).toBe(200)
    const second = refreshed.body.result.data
    expect(second.sessionId).toBe(first.sessionId)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(await meStatus(dev.url, second.accessToken)).toBe(200)

    const logout = await callTrpc(dev.url, 'auth.logout', { token: second.accessToken })
    expect(logout).toMatchObject({ status: 200, body: { result: { data: { ok: true } } } })
    for (const token of [first.accessToken, second.accessToken]) {
      const after = await callTrpc(dev.url, 'auth.me', { query: true, token })
      expect(after.status).toBe(401)
      expect(after.body.error.data.reason).toBe('SESSION_REVOKED')
    }
    const refreshAfter = await callTrpc(dev.url, 'auth.refresh', {
      input: { refreshToken: second.refreshToken },
    })
    expect(refreshAfter.status).toBe(401)
    expect(refreshAfter.body.error.data.reason).toBe('SESSION_REVOKED')
  })

  test('serves the demo page, which `npm run dev` turns on and wrangler.toml leaves off', async () => {
    const response = await fetch(`${devServer().url}/demo`)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<title>Rotor demo</title>')
  })

  test('writes a development ADMIN_SECRET, so the legacy report can be tried locally', async () => {
    const dev = devServer()
    const { ADMIN_SECRET } = parseEnv(await readFile(dev.varsFile!, 'utf8'))
    expect(ADMIN_SECRET?.length).toBeGreaterThanOrEqual(32)
    const report = await fetch(`${dev.url}/admin/legacy-report?days=1`, {
      headers: { authorization: `Bearer ${ADMIN_SECRET}` },
    })
    expect(report.status).toBe(200)
    expect(await report.json()).toMatchObject({ rows: [], totals: expect.any(Object) })
  })

  test('writes a development MFA_ENCRYPTION_KEY, so a second factor can be enrolled locally', async () => {
    const dev = devServer()
    const { MFA_ENCRYPTION_KEY } = parseEnv(await readFile(dev.varsFile!, 'utf8'))
    expect(MFA_ENCRYPTION_KEY?.length).toBeGreaterThanOrEqual(32)
    const pair = await signUp(dev.url, 'second-factor@example.com')
    const enrolment = await callTrpc(dev.url, 'mfa.enrollTotp', {
      input: { password: PASSWORD },
      token: pair.accessToken,
    })
    expect(enrolment.status).toBe(200)
    expect(enrolment.body.result.data.uri).toMatch(/^otpauth:\/\/totp\//)
  })

  test('JWKS publishes the public keys and no private member', async () => {
    const dev = devServer()
    const response = await fetch(`${dev.url}/.well-known/jwks.json`)
    const { keys } = (await response.json()) as { keys: object[] }
    expect(keys.length).toBeGreaterThan(0)
    for (const key of keys) expect(key).not.toHaveProperty('d')
  })
})

describe('a bad configuration value', () => {
  test(
    'stops `npm run dev` at start-up, naming the value',
    { timeout: 120_000 },
    async ({ onTestFailed }) => {
      const dev = await spawnWranglerDev({ ACCESS_TOKEN_TTL: 'abc' })
      onTestFailed(() => console.error(`npm run dev output:\n${dev.output()}`))
      try {
        // Per line: the bindings table names ACCESS_TOKEN_TTL too, but only the error says "error".
        const named = /error.*ACCESS_TOKEN_TTL/i
        // Asked until the error shows: on a loaded machine the twelve migrations alone take 20 s.
        let healthy = false
        const deadline = Date.now() + 90_000
        while (!named.test(dev.output()) && Date.now() < deadline) {
          healthy ||= await waitForHealthy(dev, 2_000)
        }
        expect(healthy).toBe(false)
        expect(dev.output()).toMatch(named)
      } finally {
        await dev.stop()
      }
    },
  )
})

describe('an access token past its lifetime', () => {
  // No leeway, or the token would pass for CLOCK_SKEW_LEEWAY more seconds after it expires.
  const devServer = useWranglerDev({ ACCESS_TOKEN_TTL: '2', CLOCK_SKEW_LEEWAY: '0' })

  test('is refused as TOKEN_EXPIRED, and a refresh brings one that works', async () => {
    const dev = devServer()
    const pair = await signUp(dev.url, 'expiring@example.com')
    expect(await meStatus(dev.url, pair.accessToken)).toBe(200)

    // The only sleep in the suite: wrangler dev's clock cannot be moved (at most ~2 s).
    await sleep(Math.max(0, pair.accessTokenExpiresAt * 1000 - Date.now()) + 100)
    const expired = await callTrpc(dev.url, 'auth.me', { query: true, token: pair.accessToken })
    expect(expired.status).toBe(401)
    expect(expired.body.error.data.reason).toBe('TOKEN_EXPIRED')

    const refreshed = await callTrpc(dev.url, 'auth.refresh', {
      input: { refreshToken: pair.refreshToken },
    })
    expect(refreshed.status).toBe(200)
    expect(await meStatus(dev.url, refreshed.body.result.data.accessToken)).toBe(200)
  })
})

async function signUp(url: string, email: string) {
  const registered = await callTrpc(url, 'auth.register', { input: { email, password: PASSWORD } })
  expect(registered.status).toBe(200)
  expect(registered.body.result.data.user.email).toBe(email)
  const login = await callTrpc(url, 'auth.login', { input: { email, password: PASSWORD } })
  expect(login.status).toBe(200)
  return login.body.result.data
}

async function meStatus(url: string, token: string): Promise<number> {
  return (await callTrpc(url, 'auth.me', { query: true, token })).status
}
