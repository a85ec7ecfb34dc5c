import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { signAccessToken } from '../../../worker/tokens/access-token.ts'
import { createTestIssuer, failure, me, signIn } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

/** An access token for a live session, signed by the issuer's own current key, with any times. */
async function mint(
  t: TestIssuer,
  pair: { sessionId: string },
  userId: string,
  iat: number,
  exp: number,
) {
  return signAccessToken(t.issuer.keys, t.issuer.config, {
    sub: userId,
    sid: pair.sessionId,
    client_id: 'web',
    iat,
    exp,
  })
}

const nowSeconds = (t: TestIssuer) => Math.floor(t.issuer.now() / 1000)

describe('the issuer bounds access-token age by ACCESS_TOKEN_TTL', () => {
  test('a signed token claiming a day-long lifetime is refused, though its session is live', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const now = nowSeconds(t)
    const long = await mint(t, pair, user.id, now, now + 86_400)
    expect(failure(await me(t, long))).toEqual({ status: 401, reason: 'TOKEN_INVALID' })
    expect((await me(t, pair.accessToken)).status).toBe(200)
  })

  test('a lifetime up to ACCESS_TOKEN_TTL plus leeway is accepted, one second more is not', async () => {
    const t = createTestIssuer({ ACCESS_TOKEN_TTL: '300', CLOCK_SKEW_LEEWAY: '30' })
    const { user, pair } = await signIn(t)
    const now = nowSeconds(t)
    expect((await me(t, await mint(t, pair, user.id, now, now + 330))).status).toBe(200)
    const over = await mint(t, pair, user.id, now, now + 331)
    expect(failure(await me(t, over))).toEqual({ status: 401, reason: 'TOKEN_INVALID' })
  })

  test('a token issued longer ago than ACCESS_TOKEN_TTL plus leeway is refused', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const now = nowSeconds(t)
    const old = await mint(t, pair, user.id, now - 2_000, now + 600)
    expect(failure(await me(t, old)).status).toBe(401)
    expect(['TOKEN_EXPIRED', 'TOKEN_INVALID']).toContain(failure(await me(t, old)).reason)
  })

  test('introspection and revocation apply the same bound', async () => {
    const t = createTestIssuer()
    const { user, pair } = await signIn(t)
    const now = nowSeconds(t)
    const long = await mint(t, pair, user.id, now, now + 86_400)
    const form = (path: string, extra: Record<string, string> = {}) =>
      t.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra },
        body: `token=${long}`,
      })
    const introspected = await form('/oauth/introspect', {
      authorization: `Bearer ${env.INTROSPECTION_SECRET}`,
    })
    expect(await introspected.json()).toEqual({ active: false })
    await form('/oauth/revoke')
    expect((await me(t, pair.accessToken)).status).toBe(200)
  })
})
