import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, test } from 'vitest'
import { createRotorClient } from '../../client/index.ts'
import { sessionOf } from '../client/helpers/sign-in-result.ts'
import { callTrpc } from './helpers/trpc.ts'
import { useWranglerDev } from './helpers/wrangler-dev.ts'
import type {
  FetchLike,
  RotorClient,
  RotorClientOptions,
  SignedOutReason,
} from '../../client/index.ts'

const PASSWORD = 'correct horse battery staple'
const clients: RotorClient[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.close()
})

describe('the real client in Node against `npm run dev`, with 2-second access tokens', () => {
  // No leeway: a token is refused the moment it expires, so a call sent with one would show.
  const devServer = useWranglerDev({ ACCESS_TOKEN_TTL: '2', CLOCK_SKEW_LEEWAY: '0' })

  test('50 concurrent calls over an expired token cause exactly one refresh', async () => {
    const dev = devServer()
    const wire = countingFetch()
    // No background refresh, as in a process whose timers did not run (suspended, asleep): the
    // calls find the token expired and must share one refresh.
    const rotor = client(dev.url, wire.fetch, { autoRefresh: false })
    await register(dev.url, 'concurrent@example.com')
    const first = sessionOf(
      await rotor.login({ email: 'concurrent@example.com', password: PASSWORD }),
    )
    await sleepPast(first.accessTokenExpiresAt)

    const calls = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0 ? rotor.auth.me.query() : rotor.sessions.list.query(),
    )
    const results = await Promise.all(calls)

    expect(wire.refreshes()).toBe(1)
    // Every call waited for the new token: none went out with the expired one.
    expect(wire.rejected()).toBe(0)
    expect(results[0]).toMatchObject(first.user)
    expect(results[1]).toEqual([expect.objectContaining({ id: first.sessionId, current: true })])
    expect(rotor.getSession()?.accessTokenExpiresAt).toBeGreaterThan(first.accessTokenExpiresAt)
  })

  test('a session signed out everywhere from another client ends here at the next refresh', async () => {
    const dev = devServer()
    const wire = countingFetch()
    const phone = client(dev.url, wire.fetch)
    const laptop = client(dev.url)
    await register(dev.url, 'everywhere@example.com')
    const phoneSession = sessionOf(
      await phone.login({ email: 'everywhere@example.com', password: PASSWORD }),
    )
    await laptop.login({ email: 'everywhere@example.com', password: PASSWORD })
    const phoneEvents = signedOutEvents(phone)
    const laptopEvents = signedOutEvents(laptop)

    expect(await laptop.logoutAll()).toEqual({ revoked: 2 })
    expect(laptopEvents).toEqual(['LOGOUT'])
    await sleepPast(phoneSession.accessTokenExpiresAt)
    await expect(phone.auth.me.query()).rejects.toThrow()

    expect(phoneEvents).toEqual(['SESSION_REVOKED'])
    expect(phone.getSession()).toBeNull()
    await expect(phone.auth.me.query()).rejects.toThrow()
    // Signed out for good: no refresh retried, no second event.
    expect(wire.refreshes()).toBe(1)
    expect(phoneEvents).toEqual(['SESSION_REVOKED'])
  })
})

describe('the real client in Node against `npm run dev`, with default lifetimes', () => {
  const devServer = useWranglerDev()

  test('a session revoked from another client emits SESSION_REVOKED at the next call', async () => {
    const dev = devServer()
    const phone = client(dev.url)
    const laptop = client(dev.url)
    await register(dev.url, 'lost-phone@example.com')
    const login = { email: 'lost-phone@example.com', password: PASSWORD }
    const phoneSession = sessionOf(await phone.login({ ...login, deviceName: 'phone' }))
    await laptop.login({ ...login, deviceName: 'laptop' })
    const phoneEvents = signedOutEvents(phone)

    const sessions = await laptop.sessions.list.query()
    expect(sessions.map((session) => session.deviceName).sort()).toEqual(['laptop', 'phone'])
    await laptop.sessions.revoke.mutate({ sessionId: phoneSession.sessionId })

    await expect(phone.auth.me.query()).rejects.toMatchObject({
      data: { reason: 'SESSION_REVOKED' },
    })
    expect(phoneEvents).toEqual(['SESSION_REVOKED'])
    expect(phone.getSession()).toBeNull()
    expect(await laptop.auth.me.query()).toMatchObject(phoneSession.user)
  })
})

function client(
  url: string,
  fetch?: FetchLike,
  options: Partial<RotorClientOptions> = {},
): RotorClient {
  // Body mode: Node's fetch keeps no cookies and sends no Origin.
  const rotor = createRotorClient({ url: `${url}/trpc`, delivery: 'body', fetch, ...options })
  clients.push(rotor)
  return rotor
}

/** The client's fetch seam, counting refresh requests and calls refused for their token. */
function countingFetch() {
  let refreshes = 0
  let rejected = 0
  const fetch: FetchLike = async (input, init) => {
    const refresh = new URL(input).pathname.endsWith('/auth.refresh')
    if (refresh) refreshes++
    const response = await globalThis.fetch(input, init)
    if (!refresh && response.status === 401) rejected++
    return response
  }
  return { fetch, refreshes: () => refreshes, rejected: () => rejected }
}

function signedOutEvents(rotor: RotorClient): SignedOutReason[] {
  const events: SignedOutReason[] = []
  rotor.onSignedOut((reason) => events.push(reason))
  return events
}

async function register(url: string, email: string): Promise<void> {
  const registered = await callTrpc(url, 'auth.register', { input: { email, password: PASSWORD } })
  expect(registered.status).toBe(200)
}

/** wrangler dev's clock cannot be moved: wait out the (2-second) token, on the same machine. */
async function sleepPast(epochSeconds: number): Promise<void> {
  await sleep(Math.max(0, epochSeconds * 1000 - Date.now()) + 100)
}
