import { afterEach, describe, expect, test } from 'vitest'
import { SignJWT, decodeProtectedHeader } from 'jose'
import { createRotorClient } from '../../client/index.ts'
import { callTrpc } from './helpers/trpc.ts'
import { useWranglerDev } from './helpers/wrangler-dev.ts'
import type { FetchLike, RotorClient } from '../../client/index.ts'

const LEGACY_SECRET = 'the-old-hs256-secret-that-never-rotated'
const clients: RotorClient[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.close()
})

/** A token of the kind the fleet holds today: HS256, no `exp`. */
async function legacyToken(sub: string) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .sign(new TextEncoder().encode(LEGACY_SECRET))
}

describe('a client holding a legacy JWT, in the monitor phase', () => {
  const devServer = useWranglerDev({ LEGACY_MODE: 'monitor', LEGACY_JWT_SECRET: LEGACY_SECRET })

  test('trades it for a Rotor session by itself, once, without a new sign-in', async () => {
    const dev = devServer()
    const email = 'legacy-fleet@example.com'
    const registered = await callTrpc(dev.url, 'auth.register', {
      input: { email, password: 'correct horse battery staple' },
    })
    const userId = registered.body.result.data.user.id
    const token = await legacyToken(userId)
    const paths: string[] = []
    const fetch: FetchLike = async (input, init) => {
      paths.push(new URL(String(input)).pathname)
      return globalThis.fetch(input, init)
    }
    const rotor = createRotorClient({
      url: `${dev.url}/trpc`,
      delivery: 'body',
      fetch,
      legacyToken: () => token,
    })
    clients.push(rotor)

    expect(await rotor.auth.me.query()).toEqual({ id: userId, email, emailVerified: false })
    expect(await rotor.sessions.list.query()).toHaveLength(1)
    expect(paths.filter((path) => path.includes('auth.exchangeLegacy'))).toHaveLength(1)
    const access = await rotor.getAccessToken()
    expect(decodeProtectedHeader(access!).typ).toBe('at+jwt')
    expect(rotor.getSession()?.user).toEqual({ id: userId, email })
  })

  test('a forged legacy token is refused and the client stays signed out', async () => {
    const dev = devServer()
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('someone')
      .setIssuedAt()
      .sign(new TextEncoder().encode('not-the-secret-not-the-secret-not-the'))
    const rotor = createRotorClient({
      url: `${dev.url}/trpc`,
      delivery: 'body',
      legacyToken: () => forged,
    })
    clients.push(rotor)
    await expect(rotor.auth.me.query()).rejects.toThrow()
    expect(rotor.getSession()).toBeNull()
  })
})
