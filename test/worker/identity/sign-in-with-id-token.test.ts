import { describe, expect, test } from 'vitest'
import { failure, me, refresh } from '../helpers/issuer.ts'
import { createIdpIssuer, idClaims, signIdToken, signInWithIdToken } from './helpers.ts'

describe('sign-in with an ID token from a configured provider', () => {
  test('a valid token starts a session whose tokens work, for a user created from its email', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t)
    const result = await signInWithIdToken(t, { idToken: await signIdToken(claims) })
    expect(result.status).toBe(200)
    const pair = result.body.result.data
    expect(pair.user.email).toBe(claims.email)
    const whoami = await me(t, pair.accessToken)
    expect(whoami.body.result.data).toEqual({ id: pair.user.id, email: claims.email })
    expect((await refresh(t, pair.refreshToken)).status).toBe(200)
  })
})
