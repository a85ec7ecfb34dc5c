import { afterEach, describe, expect, test, vi } from 'vitest'
import { env } from 'cloudflare:workers'
import { createResourceApp } from '../../examples/resource-worker/app.ts'
import { createTestIssuer, signIn } from '../worker/helpers/issuer.ts'

type Outage = 'network' | 'http' | 'html'

/** A service binding that reaches the issuer until `down` is set, then fails as `outage` says. */
function flakyBindingTo(issuer: ReturnType<typeof createTestIssuer>) {
  const binding = {
    down: undefined as Outage | undefined,
    failWhen: (path: string) => path !== '',
    fetch: async (input: string | Request, init?: RequestInit) => {
      const request = new Request(input, init)
      if (binding.down && binding.failWhen(new URL(request.url).pathname)) {
        if (binding.down === 'network') throw new TypeError('Network connection lost.')
        if (binding.down === 'html') return new Response('<html>oops</html>', { status: 200 })
        return new Response('upstream down', { status: 502 })
      }
      return issuer.app.fetch(request)
    },
  }
  return binding
}

function resourceOn(binding: ReturnType<typeof flakyBindingTo>) {
  const app = createResourceApp({
    ROTOR: binding,
    ISSUER: 'http://localhost:8787',
    AUDIENCE: 'rotor',
    INTROSPECTION_SECRET: env.INTROSPECTION_SECRET,
  })
  return async (path: string, token: string) => {
    const response = await app.request(path, { headers: { authorization: `Bearer ${token}` } })
    return { status: response.status, body: (await response.json()) as any }
  }
}

/** Every `console.error` line the verifier writes, parsed. */
function captureErrorLog() {
  const lines: string[] = []
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)))
  return lines
}

describe('a resource worker whose issuer cannot be reached', () => {
  afterEach(() => void vi.restoreAllMocks())

  test.each(['network', 'http', 'html'] as Outage[])(
    'no key set yet (%s failure): 503 ISSUER_UNAVAILABLE and one log line without the token',
    async (outage) => {
      const issuer = createTestIssuer()
      const { pair } = await signIn(issuer)
      const binding = flakyBindingTo(issuer)
      binding.down = outage
      const get = resourceOn(binding)
      const log = captureErrorLog()
      const result = await get('/stateless/whoami', pair.accessToken)
      expect(result.status).toBe(503)
      expect(result.body.error.data.reason).toBe('ISSUER_UNAVAILABLE')
      expect(result.body.error.data.httpStatus).toBe(503)
      expect(log).toHaveLength(1)
      const line = JSON.parse(log[0]!)
      expect(line).toMatchObject({ level: 'error', reason: 'ISSUER_UNAVAILABLE', step: 'jwks' })
      expect(log[0]).not.toContain(pair.accessToken.split('.')[2])
      binding.down = undefined
      expect((await get('/stateless/whoami', pair.accessToken)).status).toBe(200)
    },
  )

  test.each(['network', 'http', 'html'] as Outage[])(
    'strict mode, introspection fails (%s): 503 ISSUER_UNAVAILABLE, one log line, no bare 500',
    async (outage) => {
      const issuer = createTestIssuer()
      const { pair } = await signIn(issuer)
      const binding = flakyBindingTo(issuer)
      const get = resourceOn(binding)
      expect((await get('/stateless/whoami', pair.accessToken)).status).toBe(200)
      binding.down = outage
      binding.failWhen = (path) => path === '/oauth/introspect'
      const log = captureErrorLog()
      const result = await get('/strict/whoami', pair.accessToken)
      expect(result.status).toBe(503)
      expect(result.body.error.data.reason).toBe('ISSUER_UNAVAILABLE')
      expect(log).toHaveLength(1)
      expect(JSON.parse(log[0]!)).toMatchObject({
        reason: 'ISSUER_UNAVAILABLE',
        step: 'introspection',
      })
      expect(log[0]).not.toContain(pair.accessToken.split('.')[2])
      // Stateless needs no issuer once it has the keys.
      expect((await get('/stateless/whoami', pair.accessToken)).status).toBe(200)
    },
  )

  test('a forged token is still TOKEN_INVALID while the issuer is up', async () => {
    const issuer = createTestIssuer()
    const { pair } = await signIn(issuer)
    const get = resourceOn(flakyBindingTo(issuer))
    const [h, p] = pair.accessToken.split('.')
    const forged = await get('/stateless/whoami', `${h}.${p}.AAAA`)
    expect(forged.status).toBe(401)
    expect(forged.body.error.data.reason).toBe('TOKEN_INVALID')
  })
})
