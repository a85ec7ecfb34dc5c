import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createTestIssuer, failure, signIn } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
})
const token = (t: TestIssuer, fields: Record<string, string>) =>
  t.request('/oauth/token', form(fields))
const introspect = (
  t: TestIssuer,
  value: string,
  authorization = `Bearer ${env.INTROSPECTION_SECRET}`,
) =>
  t.request('/oauth/introspect', {
    ...form({ token: value }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
  })

describe('POST /oauth/token (RFC 6749 §6)', () => {
  test('grant_type=refresh_token rotates with no-store headers and the §5.1 shape', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const response = await token(t, {
      grant_type: 'refresh_token',
      refresh_token: pair.refreshToken,
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('pragma')).toBe('no-cache')
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 900,
      session_id: pair.sessionId,
    })
    expect(body.refresh_token).not.toBe(pair.refreshToken)
    expect(
      (await t.call('auth.me', undefined, { token: body.access_token as string })).status,
    ).toBe(200)
  })

  test('reuse after the grace window is invalid_grant and revokes the session', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    await token(t, { grant_type: 'refresh_token', refresh_token: pair.refreshToken })
    t.advance(11)
    const reused = await token(t, { grant_type: 'refresh_token', refresh_token: pair.refreshToken })
    expect(reused.status).toBe(400)
    expect(await reused.json()).toMatchObject({
      error: 'invalid_grant',
      reason: 'REFRESH_TOKEN_REUSED',
    })
    const me = await t.call('auth.me', undefined, { token: pair.accessToken })
    expect(failure(me)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
  })

  test.each([
    [{ grant_type: 'password', username: 'a', password: 'b' }, 'unsupported_grant_type'],
    [{ grant_type: 'authorization_code', code: 'x' }, 'unsupported_grant_type'],
    [{ refresh_token: 'x' }, 'invalid_request'],
    [{ grant_type: 'refresh_token' }, 'invalid_request'],
    [{ grant_type: 'refresh_token', refresh_token: 'A'.repeat(43) }, 'invalid_grant'],
  ])('%j is refused with %s', async (fields, error) => {
    const t = createTestIssuer()
    const response = await token(t, fields)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error })
  })

  test('a JSON body is invalid_request', async () => {
    const t = createTestIssuer()
    const response = await t.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token' }),
    })
    expect(await response.json()).toMatchObject({ error: 'invalid_request' })
  })
})

describe('POST /oauth/revoke (RFC 7009)', () => {
  test('revoking a refresh token ends its session; unknown tokens still get 200', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    expect((await t.request('/oauth/revoke', form({ token: 'A'.repeat(43) }))).status).toBe(200)
    expect((await t.request('/oauth/revoke', form({ token: 'garbage.jwt.x' }))).status).toBe(200)
    expect((await t.call('auth.me', undefined, { token: pair.accessToken })).status).toBe(200)
    const response = await t.request('/oauth/revoke', form({ token: pair.refreshToken }))
    expect(response.status).toBe(200)
    const me = await t.call('auth.me', undefined, { token: pair.accessToken })
    expect(failure(me)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
  })

  test('revoking an access token ends its session too', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    await t.request(
      '/oauth/revoke',
      form({ token: pair.accessToken, token_type_hint: 'access_token' }),
    )
    const refresh = await t.call('auth.refresh', { refreshToken: pair.refreshToken })
    expect(failure(refresh)).toEqual({ status: 401, reason: 'SESSION_REVOKED' })
  })

  test('a request without a token is invalid_request', async () => {
    const t = createTestIssuer()
    const response = await t.request('/oauth/revoke', form({}))
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_request' })
  })
})

describe('POST /oauth/introspect (RFC 7662)', () => {
  test('a live access token is active with its claims; after sign-out it is not', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const live = (await (await introspect(t, pair.accessToken)).json()) as Record<string, unknown>
    expect(live).toMatchObject({
      active: true,
      sub: user.id,
      sid: pair.sessionId,
      token_type: 'Bearer',
    })
    await t.call('auth.logout', {}, { token: pair.accessToken })
    expect(await (await introspect(t, pair.accessToken)).json()).toEqual({ active: false })
  })

  test('expired, forged and refresh tokens are inactive', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    for (const value of [pair.refreshToken, 'x.y.z', `${pair.accessToken.slice(0, -4)}AAAA`]) {
      expect(await (await introspect(t, value)).json()).toEqual({ active: false })
    }
    t.advance(3600)
    expect(await (await introspect(t, pair.accessToken)).json()).toEqual({ active: false })
  })

  test('unauthenticated or wrongly authenticated callers are refused', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const basic = (secret: string) => `Basic ${btoa(`verifier:${secret}`)}`
    for (const authorization of [
      '',
      'Bearer wrong',
      basic('wrong'),
      `Bearer ${env.INTROSPECTION_SECRET}x`,
    ]) {
      const response = await introspect(t, pair.accessToken, authorization)
      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ error: 'invalid_client' })
    }
    expect((await introspect(t, pair.accessToken, basic(env.INTROSPECTION_SECRET))).status).toBe(
      200,
    )
  })
})

describe('GET /.well-known/oauth-authorization-server (RFC 8414)', () => {
  test('names the issuer and every endpoint under it', async () => {
    const t = createTestIssuer()
    const metadata = (await (
      await t.request('/.well-known/oauth-authorization-server')
    ).json()) as Record<string, unknown>
    expect(metadata).toMatchObject({
      issuer: 'http://localhost:8787',
      jwks_uri: 'http://localhost:8787/.well-known/jwks.json',
      token_endpoint: 'http://localhost:8787/oauth/token',
      revocation_endpoint: 'http://localhost:8787/oauth/revoke',
      introspection_endpoint: 'http://localhost:8787/oauth/introspect',
      grant_types_supported: ['refresh_token'],
    })
  })

  test('an ISSUER with a path keeps it in every endpoint', async () => {
    const t = createTestIssuer({ ISSUER: 'https://auth.example.com/tenant-a' })
    const response = await t.request('/.well-known/oauth-authorization-server')
    const metadata = (await response.json()) as Record<string, unknown>
    expect(metadata.token_endpoint).toBe('https://auth.example.com/tenant-a/oauth/token')
    expect(metadata.jwks_uri).toBe('https://auth.example.com/tenant-a/.well-known/jwks.json')
  })
})
