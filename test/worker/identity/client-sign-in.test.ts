import { describe, expect, test } from 'vitest'
import { createMemoryStorage, createRotorClient } from '../../../client/index.ts'
import { sessionOf } from '../../client/helpers/sign-in-result.ts'
import { createIdpIssuer, idClaims, signIdToken } from './helpers.ts'

describe('rotor/client signInWithIdToken', () => {
  test('signs in with an ID token; the typed client then calls as that user', async () => {
    const t = createIdpIssuer()
    const rotor = createRotorClient({
      url: 'http://localhost/trpc',
      delivery: 'body',
      storage: createMemoryStorage(),
      autoRefresh: false,
      fetch: async (input, init) => t.app.fetch(new Request(input, init as RequestInit)),
    })
    try {
      const claims = idClaims(t)
      const session = sessionOf(
        await rotor.signInWithIdToken({ idToken: await signIdToken(claims) }),
      )
      expect(session.user.email).toBe(claims.email)
      expect(await rotor.auth.me.query()).toEqual({ ...session.user, emailVerified: true })
    } finally {
      rotor.close()
    }
  })
})
