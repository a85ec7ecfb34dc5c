import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { countingD1 } from '../../../bench/worker/counting-d1.ts'
import { PASSWORD } from '../../worker/helpers/issuer.ts'
import { createAppApi } from './app-api.ts'
import { createWorld } from './world.ts'
import type { Device, World } from './world.ts'

let world: World
beforeEach(async () => {
  world = await createWorld()
})
afterEach(() => world.close())

/** Ways another device ends this one's session (DESIGN §4); `phone` is the one that loses it. */
const endedElsewhere: [string, (laptop: Device, phone: Device) => Promise<unknown>][] = [
  ['signed out everywhere', (laptop) => laptop.rotor.logoutAll({ keepCurrent: true })],
  [
    'signed out from the sessions list',
    (laptop, phone) =>
      laptop.rotor.sessions.revoke.mutate({ sessionId: phone.rotor.getSession()!.sessionId }),
  ],
  [
    'the password changed',
    (laptop) =>
      laptop.rotor.auth.changePassword.mutate({
        currentPassword: PASSWORD,
        newPassword: 'another correct horse battery',
      }),
  ],
]

describe('a session ended on another device, at the next call', () => {
  test.each(endedElsewhere)('%s: the next call signs out, once', async (_, endIt) => {
    const phone = await world.signedIn()
    const laptop = await world.signedIn()
    await endIt(laptop, phone)

    await expect(phone.rotor.sessions.list.query()).rejects.toMatchObject({
      data: { reason: 'SESSION_REVOKED' },
    })
    expect(phone.signedOut).toEqual(['SESSION_REVOKED'])
    expect(phone.rotor.getSession()).toBeNull()
    await expect(phone.rotor.auth.me.query()).rejects.toThrow()
    expect(phone.signedOut).toEqual(['SESSION_REVOKED'])
    expect(laptop.signedOut).toEqual([])
  })
})

describe('a session ended on another device, on return to the foreground', () => {
  test.each(endedElsewhere)('%s: no call made, one read, signed out', async (_, endIt) => {
    const phone = await world.signedIn()
    const laptop = await world.signedIn()
    phone.lifecycle.hide()
    world.advance(31)
    await endIt(laptop, phone)
    phone.requests.length = 0

    phone.lifecycle.show()
    await world.settle()
    expect(phone.signedOut).toEqual(['SESSION_REVOKED'])
    // `auth.me`: one read at the issuer; no refresh, nothing rotated or written.
    expect(phone.requests).toEqual([['auth.me']])
    expect(phone.rotor.getSession()).toBeNull()
  })

  test('within 30 s of the issuer’s last word nothing is asked; after it one read', async () => {
    const phone = await world.signedIn()
    phone.requests.length = 0
    world.advance(29)
    phone.lifecycle.hide()
    phone.lifecycle.show()
    await world.settle()
    expect(phone.requests).toEqual([])

    world.advance(2)
    phone.lifecycle.show()
    phone.lifecycle.show()
    await world.settle()
    expect(phone.requests).toEqual([['auth.me']])
    // That answer is the issuer's last word now: the next 30 s ask nothing again.
    world.advance(29)
    phone.lifecycle.show()
    await world.settle()
    expect(phone.requests).toEqual([['auth.me']])
    expect(phone.signedOut).toEqual([])
    expect(phone.rotor.getSession()).not.toBeNull()
  })

  test('the check costs the issuer one D1 round trip, a read', async () => {
    const { binding, counter } = countingD1(env.DB)
    const statements: string[] = []
    const DB = new Proxy(binding, {
      get: (target, prop) =>
        prop === 'prepare'
          ? (query: string) => (statements.push(query), target.prepare(query))
          : Reflect.get(target, prop, target),
    })
    world = await createWorld({}, { DB })
    const phone = await world.signedIn()
    world.advance(31)
    const [roundTrips, prepared] = [counter.roundTrips, statements.length]
    phone.lifecycle.show()
    await world.settle()
    expect(phone.requests.at(-1)).toEqual(['auth.me'])
    expect(counter.roundTrips - roundTrips).toBe(1)
    expect(
      statements.slice(prepared).map((sql) => sql.trim().split(/\s/)[0]!.toUpperCase()),
    ).toEqual(['SELECT'])
  })

  test('`foregroundCheckAfter` sets the bound; `false` never asks', async () => {
    const eager = await world.signedIn({ foregroundCheckAfter: 5 })
    const never = await world.signedIn({ foregroundCheckAfter: false })
    for (const device of [eager, never]) device.requests.length = 0
    world.advance(600)
    for (const device of [eager, never]) device.lifecycle.show()
    await world.settle()
    expect(eager.requests).toEqual([['auth.me']])
    expect(never.requests).toEqual([])
  })

  test('offline or a failing issuer never signs out; the next return asks again', async () => {
    const phone = await world.signedIn()
    const laptop = await world.signedIn()
    world.advance(31)
    await laptop.rotor.logoutAll({ keepCurrent: true })
    phone.requests.length = 0

    for (const fault of ['offline', 503] as const) {
      phone.fail(fault)
      phone.lifecycle.show()
      await world.settle()
      expect(phone.signedOut).toEqual([])
      expect(phone.rotor.getSession()).not.toBeNull()
    }
    // Back online: the `online` event is a lifecycle change like the others.
    phone.lifecycle.show()
    await world.settle()
    expect(phone.signedOut).toEqual(['SESSION_REVOKED'])
    expect(phone.requests).toEqual([['auth.me'], ['auth.me'], ['auth.me']])
  })

  test('a token due for refresh is checked by its refresh: no read besides', async () => {
    const phone = await world.signedIn()
    const laptop = await world.signedIn()
    phone.lifecycle.hide()
    // Past the token's refresh point (ACCESS_TOKEN_TTL 900 s, refreshMargin 60 s).
    world.advance(850)
    await world.settle()
    await laptop.rotor.logoutAll({ keepCurrent: true })
    phone.requests.length = 0

    phone.lifecycle.show()
    await world.settle()
    expect(phone.requests).toEqual([['auth.refresh']])
    expect(phone.signedOut).toEqual(['SESSION_REVOKED'])
  })
})

describe("the app's own API behind rotor/verify", () => {
  // rotor/verify's refusals carry `error.data.reason` but not tRPC's numeric `error.code`, so tRPC
  // reports them as "Unable to transform response"; the client reads the reason all the same.
  test('strict: its SESSION_REVOKED signs the client out, with no request to the issuer', async () => {
    const phone = await world.signedIn()
    const laptop = await world.signedIn()
    const api = createAppApi(world.t, phone.rotor, { mode: 'strict', now: world.t.issuer.now })
    await expect(api.whoami.query()).resolves.toEqual({ sub: phone.rotor.getSession()!.user.id })
    await laptop.rotor.logoutAll({ keepCurrent: true })
    phone.requests.length = 0

    await expect(api.whoami.query()).rejects.toMatchObject({ meta: { response: { status: 401 } } })
    expect(phone.signedOut).toEqual(['SESSION_REVOKED'])
    expect(phone.requests).toEqual([])
  })

  test('TOKEN_EXPIRED: one refresh, which finds the session revoked and signs out', async () => {
    const phone = await world.signedIn()
    const laptop = await world.signedIn()
    // A resource worker whose clock runs 20 minutes ahead sees every token as expired.
    const ahead = () => world.t.issuer.now() + 1_200_000
    const api = createAppApi(world.t, phone.rotor, { mode: 'stateless', now: ahead })
    await laptop.rotor.logoutAll({ keepCurrent: true })
    phone.requests.length = 0

    await expect(api.whoami.query()).rejects.toMatchObject({ meta: { response: { status: 401 } } })
    expect(phone.requests).toEqual([['auth.refresh']])
    expect(phone.signedOut).toEqual(['SESSION_REVOKED'])
  })
})
