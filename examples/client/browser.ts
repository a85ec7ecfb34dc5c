import { createTRPCClient, httpBatchLink } from '@trpc/client'
import { bearerHeaders, createAuthLink, createRotorClient } from 'rotor/client'
import type { SignedOutReason } from 'rotor/client'
import type { ApiRouter } from './api-router.ts'

// Browser: the refresh token lives in an HttpOnly cookie, the access token in memory.
export const rotor = createRotorClient({ url: 'https://auth.example.com/trpc', delivery: 'cookie' })

export async function signIn(email: string, password: string, onOut: (r: SignedOutReason) => void) {
  rotor.onSignedOut(onOut)
  await rotor.login({ email, password, deviceName: 'Firefox on laptop' })
  const me = await rotor.auth.me.query()
  const sessions = await rotor.sessions.list.query()
  return { me, sessions }
}

// Your own API, called with Rotor's access token: refreshed first when near expiry, and refreshed
// and retried once when the API answers 401.
export const api = createTRPCClient<ApiRouter>({
  links: [
    createAuthLink({ tokens: rotor }),
    httpBatchLink({ url: 'https://api.example.com/trpc', headers: bearerHeaders }),
  ],
})
