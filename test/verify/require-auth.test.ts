import { afterEach, describe, expect, test, vi } from 'vitest'
import { env } from 'cloudflare:workers'
import { createResourceApp } from '../../examples/resource-worker/app.ts'
import { generateSigningKey } from '../../scripts/lib/signing-keys.ts'
import { createTestIssuer, signIn } from '../worker/helpers/issuer.ts'
import type { TestIssuer } from '../worker/helpers/issuer.ts'

type Alg = 'ES256' | 'EdDSA' | 'RS256'

/** A service binding to whichever issuer is current, counting the requests it carries. */
function bindingTo(target: { current: TestIssuer }) {
  const binding = {
    requests: 0,
    fetch: async (input: string | Request, init?: RequestInit) => {
      binding.requests++
      return target.current.app.fetch(new Request(input, init))
    },
  }
  return binding
}

function resourceFor(target: { current: TestIssuer }, now = () => Date.now()) {
  const binding = bindingTo(target)
  const app = createResourceApp(
    {
      ROTOR: binding,
      ISSUER: 'http://localhost:8787',
      AUDIENCE: 'rotor',
      INTROSPECTION_SECRET: env.INTROSPECTION_SECRET,
    },
    now,
  )
  const get = async (path: string, token?: string) => {
    const response = await app.request(path, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    return {
      status: response.status,
      body: (await response.json()) as any,
      headers: response.headers,
    }
  }
  return { binding, get }
}

describe('example resource worker with the verifier', () => {
  test('accepts a fresh token in both modes and sets the verified claims', async () => {
    const target = { current: createTestIssuer() }
    const { user, pair } = await signIn(target.current)
    const resource = resourceFor(target)
    for (const mode of ['stateless', 'strict']) {
      const result = await resource.get(`/${mode}/whoami`, pair.accessToken)
      expect(result.status).toBe(200)
      expect(result.body).toEqual({ user: user.id, session: pair.sessionId })
    }
  })

  test('after sign-out, strict refuses at once; stateless accepts until the token expires', async () => {
    let now = Date.now()
    const target = { current: createTestIssuer() }
    const { pair } = await signIn(target.current)
    const resource = resourceFor(target, () => now)
    await target.current.call('auth.logout', {}, { token: pair.accessToken })
    const strict = await resource.get('/strict/whoami', pair.accessToken)
    expect(strict.status).toBe(401)
    expect(strict.body.error.data.reason).toBe('SESSION_REVOKED')
    expect(strict.headers.get('www-authenticate')).toContain('invalid_token')
    expect((await resource.get('/stateless/whoami', pair.accessToken)).status).toBe(200)
    now += (900 + 31) * 1000
    const expired = await resource.get('/stateless/whoami', pair.accessToken)
    expect(expired.body.error.data.reason).toBe('TOKEN_EXPIRED')
  })

  test('refuses missing and forged tokens with the contract reasons', async () => {
    const target = { current: createTestIssuer() }
    const { pair } = await signIn(target.current)
    const resource = resourceFor(target)
    expect((await resource.get('/stateless/whoami')).body.error.data.reason).toBe('TOKEN_MISSING')
    const [h, p] = pair.accessToken.split('.')
    const forged = await resource.get('/stateless/whoami', `${h}.${p}.AAAA`)
    expect(forged.status).toBe(401)
    expect(forged.body.error.data.reason).toBe('TOKEN_INVALID')
  })

  test('caches the key set: many requests, one JWKS fetch; forged kids cannot force refetches', async () => {
    const target = { current: createTestIssuer() }
    const { pair } = await signIn(target.current)
    const resource = resourceFor(target)
    for (let i = 0; i < 20; i++) {
      expect((await resource.get('/stateless/whoami', pair.accessToken)).status).toBe(200)
    }
    expect(resource.binding.requests).toBe(1)
    const [, payload, signature] = pair.accessToken.split('.')
    for (let i = 0; i < 20; i++) {
      const header = btoa(JSON.stringify({ alg: 'ES256', kid: `forged-${i}`, typ: 'at+jwt' }))
        .replace(/=+$/, '')
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
      await resource.get('/stateless/whoami', `${header}.${payload}.${signature}`)
    }
    expect(resource.binding.requests).toBe(1)
  })
})

describe.each(['ES256', 'EdDSA', 'RS256'] as Alg[])('zero-downtime key rotation (%s)', (alg) => {
  afterEach(() => void vi.useRealTimers())

  test('tokens signed before and after each step keep verifying', async () => {
    // Only Date is faked: each step waits out the JWKS cache as an operator would (16 min).
    vi.useFakeTimers({ toFake: ['Date'] })
    const old = await generateSigningKey(alg, 'current')
    const fresh = await generateSigningKey(alg, 'next')
    const steps = [
      [old],
      [old, fresh],
      [
        { ...old, status: 'retiring' },
        { ...fresh, status: 'current' },
      ],
      [{ ...fresh, status: 'current' }],
    ]
    const issuerAt = (keys: unknown[]) =>
      createTestIssuer({ SIGNING_ALG: alg, SIGNING_KEYS: JSON.stringify({ keys }) })
    const target = { current: issuerAt(steps[0]!) }
    const resource = resourceFor(target)
    const { user } = await signIn(target.current)
    const login = async () =>
      (await target.current.call('auth.login', user)).body.result.data.accessToken
    const kidOf = (token: string) => JSON.parse(atob(token.split('.')[0]!)).kid
    const signers: string[] = []
    for (const [index, keys] of steps.slice(1).entries()) {
      vi.setSystemTime(Date.now() + 16 * 60_000)
      target.current = issuerAt(steps[index]!)
      const before = await login()
      expect((await resource.get('/stateless/whoami', before)).status).toBe(200)
      target.current = issuerAt(keys)
      const after = await login()
      signers.push(kidOf(before), kidOf(after))
      for (const token of [before, after]) {
        expect((await target.current.call('auth.me', undefined, { token })).status).toBe(200)
        expect((await resource.get('/stateless/whoami', token)).status).toBe(200)
        expect((await resource.get('/strict/whoami', token)).status).toBe(200)
      }
    }
    expect(signers).toEqual([old.kid, old.kid, old.kid, fresh.kid, fresh.kid, fresh.kid])
  })
})
