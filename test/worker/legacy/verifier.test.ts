import { describe, expect, test, vi } from 'vitest'
import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { requireAuth } from '../../../verify/index.ts'
import type { RotorLegacyVariables } from '../../../verify/index.ts'
import { signIn } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'
import { DAY, SUNSET, legacyIssuer, legacyUser, usageOf } from './helpers.ts'

/** A resource worker whose routes admit legacy tokens, over a binding to the current issuer. */
function resourceFor(target: { current: TestIssuer; down?: boolean }) {
  const binding = {
    fetch: async (input: string | Request, init?: RequestInit) => {
      if (target.down) throw new TypeError('Network connection lost.')
      return target.current.app.fetch(new Request(input, init))
    },
  }
  const common = { issuer: 'http://localhost:8787', audience: 'rotor', jwks: binding }
  const app = new Hono<{ Variables: RotorLegacyVariables }>()
  const strict = { mode: 'strict', introspectionSecret: env.INTROSPECTION_SECRET } as const
  app.use('/stateless/*', requireAuth({ ...common, mode: 'stateless', legacy: true }))
  app.use('/strict/*', requireAuth({ ...common, ...strict, legacy: true }))
  app.use('/plain/*', requireAuth({ ...common, mode: 'stateless' }))
  app.get('/*', (c) => c.json(c.get('rotor')))
  return async (path: string, token: string, headers: Record<string, string> = {}) => {
    const response = await app.request(path, {
      headers: { authorization: `Bearer ${token}`, ...headers },
    })
    return {
      status: response.status,
      body: (await response.json()) as any,
      headers: response.headers,
    }
  }
}

describe('the verifier for other workers honours the issuer’s legacy phase', () => {
  test('monitor: admitted in both modes as the user, counted under the client’s own headers', async () => {
    const target = { current: legacyIssuer('monitor') }
    const { user, token } = await legacyUser(target.current)
    const get = resourceFor(target)
    const client = { 'user-agent': 'Fleet/3.1', 'x-app-version': '3.1.0' }
    for (const path of ['/stateless/data', '/strict/data']) {
      const result = await get(path, token, client)
      expect(result.status).toBe(200)
      expect(result.body).toEqual({ legacy: true, sub: user.id, email: user.email })
      expect(result.headers.get('deprecation')).toBeNull()
    }
    expect(await usageOf(user.id)).toMatchObject([
      { user_agent: 'Fleet/3.1', app_version: '3.1.0', uses: 2 },
    ])
  })

  test('warn: Deprecation and Sunset are passed on; a token past the max age is refused', async () => {
    const target = { current: legacyIssuer('warn') }
    const { token } = await legacyUser(target.current)
    const get = resourceFor(target)
    const fresh = await get('/stateless/data', token)
    expect(fresh.status).toBe(200)
    expect(fresh.headers.get('sunset')).toBe(SUNSET)
    expect(fresh.headers.get('deprecation')).toMatch(/^@\d+$/)
    target.current.advance(31 * DAY)
    const old = await get('/stateless/data', token)
    expect(old.status).toBe(401)
    expect(old.body.error.data.reason).toBe('LEGACY_TOKEN_REJECTED')
    expect(old.headers.get('www-authenticate')).toContain('invalid_token')
  })

  test('a phase change at the issuer reaches the verifier at once, and back again', async () => {
    const target = { current: legacyIssuer('monitor') }
    const { user, token } = await legacyUser(target.current)
    const get = resourceFor(target)
    const reasons = []
    for (const mode of ['monitor', 'enforce', 'off', 'warn'] as const) {
      target.current = legacyIssuer(mode)
      const result = await get('/strict/data', token)
      reasons.push(result.status === 200 ? 'OK' : result.body.error.data.reason)
    }
    expect(reasons).toEqual(['OK', 'LEGACY_TOKEN_REJECTED', 'TOKEN_INVALID', 'OK'])
    expect(await usageOf(user.id)).toMatchObject([{ uses: 3, rejected: 1 }])
  })

  test('Rotor access tokens are unaffected; without `legacy` a legacy token is just invalid', async () => {
    const target = { current: legacyIssuer('monitor') }
    const { user, pair } = await signIn(target.current)
    const get = resourceFor(target)
    expect((await get('/strict/data', pair.accessToken)).body.sub).toBe(user.id)
    const { user: old, token } = await legacyUser(target.current)
    const plain = await get('/plain/data', token)
    expect(plain.body.error.data.reason).toBe('TOKEN_INVALID')
    expect(await usageOf(old.id)).toEqual([])
  })

  test('an issuer that cannot be reached is 503 ISSUER_UNAVAILABLE with one log line, not a 500', async () => {
    const target = { current: legacyIssuer('monitor'), down: true }
    const { token } = await legacyUser(target.current)
    const get = resourceFor(target)
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const result = await get('/stateless/data', token)
      expect(result.status).toBe(503)
      expect(result.body.error.data.reason).toBe('ISSUER_UNAVAILABLE')
      expect(log).toHaveBeenCalledTimes(1)
      expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({ step: 'legacy' })
      expect(String(log.mock.calls[0]![0])).not.toContain(token)
    } finally {
      log.mockRestore()
    }
  })
})
