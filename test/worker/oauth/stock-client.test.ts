import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import * as oauth from 'oauth4webapi'
import { requireAuth } from '../../../verify/index.ts'
import type { RotorVariables } from '../../../verify/index.ts'
import { createTestIssuer, failure, me, signIn } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

// oauth4webapi as any app would use it, unmodified: discovery, the refresh-token grant,
// revocation, introspection. Only its fetch is pointed at the test issuer (and HTTP allowed,
// as for any local issuer).
const issuerUrl = new URL('http://localhost:8787')
const client: oauth.Client = { client_id: 'web' }

function through(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  return {
    [oauth.customFetch]: async (url: string, init: oauth.CustomFetchOptions<any, any>) =>
      app.fetch(new Request(url, init as RequestInit)),
    [oauth.allowInsecureRequests]: true,
  }
}

async function discover(t: TestIssuer) {
  const response = await oauth.discoveryRequest(issuerUrl, {
    algorithm: 'oauth2',
    ...through(t.app),
  })
  return oauth.processDiscoveryResponse(issuerUrl, response)
}

async function refreshWith(t: TestIssuer, as: oauth.AuthorizationServer, refreshToken: string) {
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client,
    oauth.None(),
    refreshToken,
    through(t.app),
  )
  return oauth.processRefreshTokenResponse(as, client, response)
}

describe('oauth4webapi against the issuer, unmodified', () => {
  test('discovers the issuer and rotates with the refresh-token grant', async () => {
    const t = createTestIssuer()
    const as = await discover(t)
    expect(as.token_endpoint).toBe('http://localhost:8787/oauth/token')
    const { pair } = await signIn(t)
    const first = await refreshWith(t, as, pair.refreshToken)
    expect(first.token_type).toBe('bearer')
    expect(first.expires_in).toBe(900)
    expect((await me(t, first.access_token)).status).toBe(200)
    const second = await refreshWith(t, as, first.refresh_token!)
    expect(second.refresh_token).not.toBe(first.refresh_token)
  })

  test('a replayed refresh token surfaces as invalid_grant with Rotor’s reason', async () => {
    const t = createTestIssuer()
    const as = await discover(t)
    const { pair } = await signIn(t)
    await refreshWith(t, as, pair.refreshToken)
    t.advance(11)
    const replay = refreshWith(t, as, pair.refreshToken)
    await expect(replay).rejects.toBeInstanceOf(oauth.ResponseBodyError)
    await expect(replay).rejects.toMatchObject({
      error: 'invalid_grant',
      cause: { reason: 'REFRESH_TOKEN_REUSED' },
    })
  })

  test('revocation ends the session; introspection with client_secret_basic sees it', async () => {
    const t = createTestIssuer()
    const as = await discover(t)
    const { pair } = await signIn(t)
    const verifier: oauth.Client = { client_id: 'resource-server' }
    const secret = oauth.ClientSecretBasic(env.INTROSPECTION_SECRET)
    const introspect = async () =>
      oauth.processIntrospectionResponse(
        as,
        verifier,
        await oauth.introspectionRequest(as, verifier, secret, pair.accessToken, through(t.app)),
      )
    expect(await introspect()).toMatchObject({
      active: true,
      token_type: 'Bearer',
      sid: pair.sessionId,
    })
    const revoked = await oauth.revocationRequest(
      as,
      client,
      oauth.None(),
      pair.refreshToken,
      through(t.app),
    )
    await oauth.processRevocationResponse(revoked)
    expect(failure(await me(t, pair.accessToken))).toEqual({
      status: 401,
      reason: 'SESSION_REVOKED',
    })
    expect(await introspect()).toEqual({ active: false })
  })

  test('a resource guarded by the verifier answers challenges oauth4webapi understands', async () => {
    const t = createTestIssuer()
    const resource = new Hono<{ Variables: RotorVariables }>()
    const jwks = {
      fetch: async (input: string | Request, init?: RequestInit) =>
        t.app.fetch(new Request(input, init)),
    }
    resource.use(
      '/api/*',
      requireAuth({
        issuer: 'http://localhost:8787',
        audience: 'rotor',
        jwks,
        mode: 'strict',
        introspectionSecret: env.INTROSPECTION_SECRET,
        now: () => t.issuer.now(),
      }),
    )
    resource.get('/api/me', (c) => c.json({ sub: c.get('rotor').sub }))
    const { user, pair } = await signIn(t)
    const call = (token: string) =>
      oauth.protectedResourceRequest(
        token,
        'GET',
        new URL('http://resource.example/api/me'),
        undefined,
        undefined,
        through(resource),
      )
    expect(await (await call(pair.accessToken)).json()).toEqual({ sub: user.id })
    await t.call('auth.logout', {}, { token: pair.accessToken })
    const refused = call(pair.accessToken)
    await expect(refused).rejects.toBeInstanceOf(oauth.WWWAuthenticateChallengeError)
    const error = (await refused.catch((e: unknown) => e)) as oauth.WWWAuthenticateChallengeError
    expect(error.cause[0]).toMatchObject({
      scheme: 'bearer',
      parameters: { error: 'invalid_token' },
    })
  })
})
