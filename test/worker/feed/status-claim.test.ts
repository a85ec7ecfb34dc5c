import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { decodeJwt } from 'jose'
import { createTestIssuer, login, refresh, registerUser, signIn } from '../helpers/issuer.ts'
import { createIdpIssuer, idClaims, signIdToken, signInWithIdToken } from '../identity/helpers.ts'
import { legacyIssuer, legacyUser } from '../legacy/helpers.ts'
import { feedUrl, statusIdxOf, storedIdx } from './helpers.ts'
import type { TestIssuer, TokenPairBody } from '../helpers/issuer.ts'

/** The token names its session's stored index and the issuer's feed. */
async function expectStatus(t: TestIssuer, pair: { accessToken: string; sessionId: string }) {
  expect(decodeJwt(pair.accessToken).status).toEqual({
    status_list: { idx: await storedIdx(pair.sessionId), uri: feedUrl(t) },
  })
}

describe('access tokens carry their session’s place in the feed', () => {
  test('after sign-in and after every refresh: the same index, the feed’s URL', async () => {
    const t = createTestIssuer()
    const { pair } = await signIn(t)
    await expectStatus(t, pair)
    let current: TokenPairBody = pair
    for (let i = 0; i < 2; i++) {
      t.advance(60)
      const parent = current
      current = (await refresh(t, parent.refreshToken)).body.result.data
      await expectStatus(t, current)
      expect(statusIdxOf(current.accessToken)).toBe(statusIdxOf(pair.accessToken))
      // Within the grace window the parent gets the same successor back, with the same index.
      const again = (await refresh(t, parent.refreshToken)).body.result.data as TokenPairBody
      expect(statusIdxOf(again.accessToken)).toBe(statusIdxOf(pair.accessToken))
    }
  })

  test('each new session its own index, one more than the last', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const first = await login(t, user)
    const second = await login(t, user)
    expect(statusIdxOf(second.accessToken)).toBe(statusIdxOf(first.accessToken) + 1)
  })

  test('a legacy token’s exchange', async () => {
    const t = legacyIssuer('monitor')
    const { token } = await legacyUser(t)
    const pair = (await t.call('auth.exchangeLegacy', { token })).body.result.data
    await expectStatus(t, pair)
  })

  test('an OpenID provider’s ID token', async () => {
    const t = createIdpIssuer()
    const idToken = await signIdToken(idClaims(t))
    const pair = (await signInWithIdToken(t, { idToken })).body.result.data
    await expectStatus(t, pair)
  })

  test('a trusted backend’s SessionService call over its service binding', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const response = await env.TEST_BACKEND.fetch('http://backend/', {
      method: 'POST',
      body: JSON.stringify({ userId: user.id }),
    })
    const { returned } = (await response.json()) as { returned: { tokens: TokenPairBody } }
    await expectStatus(t, returned.tokens)
  })
})
