import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createTestIssuer, failure, signIn } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

// RFC 6749 §3.2 and §5.2: "Request and response parameters MUST NOT be included more than once";
// a repeated one is invalid_request. form.get() would take the first and act on it.
const post = (t: TestIssuer, path: string, body: string, headers: Record<string, string> = {}) =>
  t.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  })
const introspection = { authorization: `Bearer ${env.INTROSPECTION_SECRET}` }

async function expectInvalidRequest(response: Response, parameter: string) {
  expect(response.status).toBe(400)
  const body = (await response.json()) as { error: string; error_description: string }
  expect(body.error).toBe('invalid_request')
  expect(body.error_description).toContain(parameter)
}

describe('repeated parameters at the OAuth endpoints', () => {
  test('a repeated refresh_token is invalid_request and rotates neither token', async () => {
    const t = createTestIssuer()
    const { pair: first } = await signIn(t)
    const { pair: second } = await signIn(t)
    const body = `grant_type=refresh_token&refresh_token=${first.refreshToken}&refresh_token=${second.refreshToken}`
    await expectInvalidRequest(await post(t, '/oauth/token', body), 'refresh_token')
    // Both tokens are still unspent: each rotates once, as if the bad request never happened.
    for (const pair of [first, second]) {
      const rotated = await t.call('auth.refresh', { refreshToken: pair.refreshToken })
      expect(rotated.status).toBe(200)
    }
  })

  test('a repeated grant_type is invalid_request, even with the same value twice', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    for (const grants of [
      'grant_type=refresh_token&grant_type=password',
      'grant_type=refresh_token&grant_type=refresh_token',
    ]) {
      const body = `${grants}&refresh_token=${pair.refreshToken}`
      await expectInvalidRequest(await post(t, '/oauth/token', body), 'grant_type')
    }
    expect((await t.call('auth.refresh', { refreshToken: pair.refreshToken })).status).toBe(200)
  })

  test('any other repeated parameter is refused too', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const body = `grant_type=refresh_token&refresh_token=${pair.refreshToken}&client_id=web&client_id=cli`
    await expectInvalidRequest(await post(t, '/oauth/token', body), 'client_id')
    const hint = `token=${pair.refreshToken}&token_type_hint=refresh_token&token_type_hint=access_token`
    await expectInvalidRequest(await post(t, '/oauth/revoke', hint), 'token_type_hint')
  })

  test('a repeated token at revocation is invalid_request and revokes neither session', async () => {
    const t = createTestIssuer()
    const { pair: first } = await signIn(t)
    const { pair: second } = await signIn(t)
    const body = `token=${first.refreshToken}&token=${second.refreshToken}`
    await expectInvalidRequest(await post(t, '/oauth/revoke', body), 'token')
    for (const pair of [first, second]) {
      expect((await t.call('auth.me', undefined, { token: pair.accessToken })).status).toBe(200)
    }
  })

  test('a repeated token at introspection is invalid_request, not an answer about the first', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const body = `token=${pair.accessToken}&token=x.y.z`
    await expectInvalidRequest(await post(t, '/oauth/introspect', body, introspection), 'token')
  })

  test('a single occurrence of each parameter still works', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const body = `grant_type=refresh_token&refresh_token=${pair.refreshToken}&client_id=web`
    expect((await post(t, '/oauth/token', body)).status).toBe(200)
    const me = await t.call('auth.me', undefined, { token: pair.accessToken })
    expect(me.status).toBe(200)
    expect((await post(t, '/oauth/revoke', `token=${pair.accessToken}`)).status).toBe(200)
    expect(failure(await t.call('auth.me', undefined, { token: pair.accessToken }))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
  })
})

describe('introspection token_type (RFC 7662 §2.2)', () => {
  test('an active access token is described as a Bearer token', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    const response = await post(t, '/oauth/introspect', `token=${pair.accessToken}`, introspection)
    expect(await response.json()).toMatchObject({ active: true, token_type: 'Bearer' })
  })
})
