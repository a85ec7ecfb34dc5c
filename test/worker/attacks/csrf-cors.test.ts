import { describe, expect, test } from 'vitest'
import { expectIntact, expectRefusal, failure, send, snapshot, useScene } from './helpers.ts'

// RFC 9700 §4.4 (CSRF), ASVS 3.4/3.5 (cookie and token session protection), OWASP CSRF cheat
// sheet: a page on another site drives the victim's browser, which attaches the refresh cookie
// on its own. Listed origin: http://localhost:8787.
const scene = useScene()
const { t } = scene

const allowed = 'http://localhost:8787'
const cookie = () => `__Secure-rotor-refresh=${scene.victim.pair.refreshToken}`

async function expectRejected(path: string, headers: Record<string, string>, input: unknown = {}) {
  const result = await expectRefusal(
    t,
    scene.victim,
    () => t.call(path, input, { headers: { cookie: cookie(), ...headers } }),
    { status: 403, reason: 'ORIGIN_REJECTED' },
  )
  expect(result.headers.get('set-cookie')).toBeNull()
  expect(result.headers.get('access-control-allow-origin')).toBeNull()
}

describe('forged cookie refresh and sign-out (CSRF)', () => {
  test.each([
    ['the opaque origin null', 'null'],
    ['a look-alike host suffix', 'http://localhost:8787.evil.example'],
    ['a subdomain', 'http://evil.localhost:8787'],
    ['another scheme', 'https://localhost:8787'],
    ['another port', 'http://localhost:87870'],
    ['a trailing slash', 'http://localhost:8787/'],
    ['two origins in one header', `${allowed} https://evil.example`],
  ])('a cookie refresh from %s is ORIGIN_REJECTED and rotates nothing', async (_, origin) => {
    await expectRejected('auth.refresh', { origin })
  })

  test('a cookie refresh with only an allowed Referer (no Origin) is ORIGIN_REJECTED', async () => {
    await expectRejected('auth.refresh', {
      referer: `${allowed}/app`,
      'sec-fetch-site': 'cross-site',
    })
  })

  test('a cookie sign-out from a foreign origin is ORIGIN_REJECTED and signs nobody out', async () => {
    await expectRejected('auth.logout', { origin: 'https://evil.example' })
  })

  test('a form-encoded cookie sign-out (a CORS simple request) is refused and signs nobody out', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await send(t.app, '/trpc/auth.logout', {
      method: 'POST',
      headers: {
        cookie: cookie(),
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'refreshToken=',
    })
    expect(result.status).toBeGreaterThanOrEqual(400)
    expect(result.status).toBeLessThan(500)
    expect(result.headers.get('set-cookie')).toBeNull()
    await expectIntact(t, scene.victim, before)
  })

  test('the refresh cookie alone never authenticates a protected procedure', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await t.call(
      'auth.logoutAll',
      {},
      { headers: { cookie: cookie(), origin: allowed } },
    )
    expect(failure(result)).toEqual({ status: 401, reason: 'TOKEN_MISSING' })
    await expectIntact(t, scene.victim, before)
  })
})

describe('CORS never opens the API to a foreign page', () => {
  const preflight = (origin: string, headers: Record<string, string> = {}) =>
    send(t.app, '/trpc/auth.logoutAll', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
        ...headers,
      },
    })

  test.each(['null', 'http://localhost:8787.evil.example', 'https://localhost:8787'])(
    'a preflight from %s is not allowed the origin',
    async (origin) => {
      const before = await snapshot(scene.victim.user.id)
      const result = await preflight(origin)
      // Without a matching allow-origin the browser never sends the call, credentials or not.
      expect(result.headers.get('access-control-allow-origin')).toBeNull()
      await expectIntact(t, scene.victim, before)
    },
  )

  test('a foreign page’s actual call with a stolen bearer still gets no readable response', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await t.call('auth.me', undefined, {
      token: scene.victim.pair.accessToken,
      headers: { origin: 'https://evil.example' },
    })
    // The call itself is a bearer call, but the browser hides the answer from the foreign page.
    expect(result.headers.get('access-control-allow-origin')).toBeNull()
    expect(result.headers.get('vary')?.toLowerCase()).toContain('origin')
    await expectIntact(t, scene.victim, before)
  })

  test('the OAuth routes send no CORS headers to a foreign origin', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await send(t.app, '/oauth/revoke', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(result.headers.get('access-control-allow-origin')).toBeNull()
    await expectIntact(t, scene.victim, before)
  })
})
