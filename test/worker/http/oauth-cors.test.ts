import { describe, expect, test } from 'vitest'
import { createTestIssuer, send, signIn } from '../helpers/issuer.ts'

// A browser app on a listed origin runs a stock OAuth client (oauth4webapi, openid-client): it
// reads the metadata and JWKS, refreshes at /oauth/token and revokes at /oauth/revoke, across
// origins. Listed origin in the test configuration: http://localhost:8787.
const listed = 'http://localhost:8787'
const foreign = 'https://evil.example'
const preflight = (origin: string, method: string, headers = 'content-type') => ({
  method: 'OPTIONS',
  headers: {
    origin,
    'access-control-request-method': method,
    'access-control-request-headers': headers,
  },
})

describe('CORS on the OAuth routes', () => {
  test.each(['/oauth/token', '/oauth/revoke'])(
    '%s answers a listed origin’s preflight and names it, without credentials',
    async (path) => {
      const t = createTestIssuer()
      const result = await send(
        t.app,
        path,
        preflight(listed, 'POST', 'content-type,authorization'),
      )
      expect(result.status).toBe(204)
      expect(result.headers.get('access-control-allow-origin')).toBe(listed)
      expect(result.headers.get('access-control-allow-methods')).toContain('POST')
      expect(result.headers.get('access-control-allow-headers')).toContain('content-type')
      expect(result.headers.get('access-control-allow-credentials')).toBeNull()
      const denied = await send(t.app, path, preflight(foreign, 'POST'))
      expect(denied.headers.get('access-control-allow-origin')).toBeNull()
    },
  )

  test('a refresh at /oauth/token from a listed origin is readable by that origin only', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const refresh = (origin: string, token: string) =>
      send(t.app, '/oauth/token', {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=refresh_token&refresh_token=${token}`,
      })
    const allowed = await refresh(listed, pair.refreshToken)
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(listed)
    expect(allowed.headers.get('vary')?.toLowerCase()).toContain('origin')
    const other = await refresh(foreign, allowed.body.refresh_token)
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })

  test.each(['/.well-known/jwks.json', '/.well-known/oauth-authorization-server'])(
    '%s is public: any origin may read it, with no credentials',
    async (path) => {
      const t = createTestIssuer()
      const read = await send(t.app, path, { headers: { origin: foreign } })
      expect(read.status).toBe(200)
      expect(read.headers.get('access-control-allow-origin')).toBe('*')
      expect(read.headers.get('access-control-allow-credentials')).toBeNull()
      const checked = await send(t.app, path, preflight(foreign, 'GET'))
      expect(checked.status).toBe(204)
      expect(checked.headers.get('access-control-allow-origin')).toBe('*')
    },
  )

  test('introspection stays server to server: no CORS for any origin', async () => {
    const t = createTestIssuer()
    const result = await send(t.app, '/oauth/introspect', preflight(listed, 'POST'))
    expect(result.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('a wrong method on a route is 405 with Allow (RFC 9110 §15.5.6)', () => {
  test.each([
    ['GET', '/oauth/token', 'POST, OPTIONS'],
    ['PUT', '/oauth/revoke', 'POST, OPTIONS'],
    ['GET', '/oauth/introspect', 'POST'],
    ['POST', '/.well-known/jwks.json', 'GET, HEAD, OPTIONS'],
    ['DELETE', '/.well-known/oauth-authorization-server', 'GET, HEAD, OPTIONS'],
    ['POST', '/healthz', 'GET, HEAD'],
    ['POST', '/admin/legacy-report', 'GET, HEAD'],
  ])('%s %s is 405 METHOD_NOT_ALLOWED, Allow: %s', async (method, path, allow) => {
    const t = createTestIssuer()
    const result = await send(t.app, path, { method })
    expect(result.status).toBe(405)
    expect(result.headers.get('allow')).toBe(allow)
    expect(result.body.error.data.reason).toBe('METHOD_NOT_ALLOWED')
  })

  test('HEAD on a GET route answers like GET, without a body', async () => {
    const t = createTestIssuer()
    const result = await send(t.app, '/.well-known/jwks.json', { method: 'HEAD' })
    expect(result.status).toBe(200)
    expect(result.body).toBeUndefined()
  })

  test('unknown paths stay 404', async () => {
    const t = createTestIssuer()
    expect((await send(t.app, '/oauth/nowhere', { method: 'POST' })).status).toBe(404)
  })
})
