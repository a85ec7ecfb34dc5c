import { describe, expect, test } from 'vitest'
import * as oauth from 'oauth4webapi'
import { createTestIssuer, signIn } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

// RFC 9068 §2.2: a stock resource server (oauth4webapi, not written here) requires `client_id`
// in every access token and refuses one without it.

/** The issuer's own metadata, read the way any OAuth client discovers an authorization server. */
async function discover(t: TestIssuer): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(t.issuer.config.issuer)
  const response = await t.request('/.well-known/oauth-authorization-server')
  return oauth.processDiscoveryResponse(issuer, response)
}

/** oauth4webapi's options, with its fetches (the JWKS) answered by the test issuer's app. */
function through(t: TestIssuer): oauth.ValidateJWTAccessTokenOptions {
  return {
    [oauth.allowInsecureRequests]: true,
    [oauth.customFetch]: async (url, init) => t.app.request(url, init),
  }
}

const bearer = (token: string) =>
  new Request('https://resource.example/data', { headers: { authorization: `Bearer ${token}` } })

describe("oauth4webapi's validateJwtAccessToken", () => {
  test('accepts a Rotor access token from sign-in, with the client it was issued to', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t, { clientId: 'ios' })
    const as = await discover(t)
    const claims = await oauth.validateJwtAccessToken(
      as,
      bearer(pair.accessToken),
      t.issuer.config.audience,
      through(t),
    )
    expect(claims).toMatchObject({ client_id: 'ios', sub: pair.user.id, sid: pair.sessionId })
  })

  test('accepts the access token of a refresh through /oauth/token, same client', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t, { clientId: 'cli' })
    const response = await t.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: pair.refreshToken }),
    })
    const { access_token } = (await response.json()) as { access_token: string }
    const claims = await oauth.validateJwtAccessToken(
      await discover(t),
      bearer(access_token),
      t.issuer.config.audience,
      through(t),
    )
    expect(claims.client_id).toBe('cli')
  })
})
