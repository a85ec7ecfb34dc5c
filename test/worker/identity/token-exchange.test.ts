import { describe, expect, test } from 'vitest'
import * as oauth from 'oauth4webapi'
import { createTestIssuer, me } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'
import { createIdpIssuer, idClaims, signIdToken } from './helpers.ts'

// RFC 8693 at /oauth/token: oauth4webapi's generic grant, unmodified (only its fetch points at the
// test issuer), and plain form posts for the refusals.
const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token'
const issuerUrl = new URL('http://localhost:8787')
const client: oauth.Client = { client_id: 'web' }

const through = (t: TestIssuer) => ({
  [oauth.customFetch]: async (url: string, init: oauth.CustomFetchOptions<any, any>) =>
    t.app.fetch(new Request(url, init as RequestInit)),
  [oauth.allowInsecureRequests]: true,
})

async function exchange(t: TestIssuer, parameters: Record<string, string>) {
  const response = await oauth.discoveryRequest(issuerUrl, { algorithm: 'oauth2', ...through(t) })
  const as = await oauth.processDiscoveryResponse(issuerUrl, response)
  const grant = await oauth.genericTokenEndpointRequest(
    as,
    client,
    oauth.None(),
    GRANT,
    parameters,
    through(t),
  )
  return oauth.processGenericTokenEndpointResponse(as, client, grant)
}

const post = async (t: TestIssuer, body: string) => {
  const response = await t.request('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })
  return { status: response.status, body: (await response.json()) as Record<string, string> }
}

describe('RFC 8693 token exchange of an ID token', () => {
  test('oauth4webapi exchanges an ID token for a session; the access token works', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t)
    const subject_token = await signIdToken(claims)
    const tokens = await exchange(t, { subject_token, subject_token_type: ID_TOKEN })
    expect(tokens.issued_token_type).toBe('urn:ietf:params:oauth:token-type:access_token')
    expect(tokens.token_type).toBe('bearer')
    expect(tokens.expires_in).toBe(900)
    expect(tokens.refresh_token).toBeTruthy()
    expect((await me(t, tokens.access_token)).body.result.data.email).toBe(claims.email)
  })

  test('a refused ID token is invalid_grant with Rotor’s reason', async () => {
    const t = createIdpIssuer()
    const subject_token = await signIdToken(idClaims(t, { aud: 'another-app' }))
    const refused = exchange(t, { subject_token, subject_token_type: ID_TOKEN })
    await expect(refused).rejects.toMatchObject({
      error: 'invalid_grant',
      cause: { reason: 'ID_TOKEN_INVALID' },
    })
  })

  test('the metadata advertises the grant only when a provider is configured', async () => {
    const metadata = async (t: TestIssuer) =>
      ((await (await t.request('/.well-known/oauth-authorization-server')).json()) as any)
        .grant_types_supported
    expect(await metadata(createIdpIssuer())).toEqual(['refresh_token', GRANT])
    expect(await metadata(createTestIssuer())).toEqual(['refresh_token'])
    const unconfigured = await post(createTestIssuer(), `grant_type=${GRANT}&subject_token=x`)
    expect(unconfigured).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } })
  })

  test('malformed exchanges are invalid_request, and spend nothing', async () => {
    const t = createIdpIssuer()
    const token = await signIdToken(idClaims(t))
    const grant = `grant_type=${encodeURIComponent(GRANT)}`
    const type = `subject_token_type=${encodeURIComponent(ID_TOKEN)}`
    for (const body of [
      `${grant}&${type}`,
      `${grant}&subject_token=${token}`,
      `${grant}&${type}&subject_token=${token}&subject_token=${token}`,
      `${grant}&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token&subject_token=${token}`,
      `${grant}&${type}&subject_token=${token}&actor_token=${token}`,
      `${grant}&${type}&subject_token=${token}&client_id=unknown-app`,
    ]) {
      const result = await post(t, body)
      expect(result.status, body).toBe(400)
      expect(result.body.error, body).toBe('invalid_request')
    }
    const foreign = await post(t, `${grant}&${type}&subject_token=${token}&audience=someone-else`)
    expect(foreign.body.error).toBe('invalid_target')
    // The token was never used above: it still signs in.
    expect((await post(t, `${grant}&${type}&subject_token=${token}`)).status).toBe(200)
  })
})
