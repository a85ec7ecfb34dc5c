import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createAppApi } from './app-api.ts'
import { createWorld } from './world.ts'
import type { StepUpRequiredEvent } from '../../../client/index.ts'
import type { World } from './world.ts'

let world: World
beforeEach(async () => {
  world = await createWorld()
})
afterEach(() => world.close())

const secondFactor = { amr: ['otp'], maxAge: 300 }

describe('an API that demands a step-up, called through the auth link', () => {
  test('a password-only session: the call fails, onStepUpRequired names the need, nothing refreshed', async () => {
    const phone = await world.signedIn()
    const asked: StepUpRequiredEvent[] = []
    phone.rotor.onStepUpRequired((event) => asked.push(event))
    const api = createAppApi(world.t, phone.rotor, {
      mode: 'stateless',
      now: () => world.t.issuer.now(),
      stepUp: secondFactor,
    })
    phone.requests.length = 0

    await expect(api.whoami.query()).rejects.toMatchObject({
      meta: { responseJSON: { error: { data: { reason: 'INSUFFICIENT_USER_AUTHENTICATION' } } } },
    })
    expect(asked).toEqual([{ requirement: { maxAge: 300, amrValues: ['otp'] } }])
    // A refresh would carry the same sign-in: the client asks the issuer nothing.
    expect(phone.requests).toEqual([])
    expect(phone.signedOut).toEqual([])
    expect(phone.rotor.getSession()).not.toBeNull()
  })

  test('the same session on a route without the demand just works', async () => {
    const phone = await world.signedIn()
    const asked: StepUpRequiredEvent[] = []
    phone.rotor.onStepUpRequired((event) => asked.push(event))
    const api = createAppApi(world.t, phone.rotor, {
      mode: 'strict',
      now: () => world.t.issuer.now(),
    })
    await expect(api.whoami.query()).resolves.toEqual({ sub: phone.rotor.getSession()!.user.id })
    expect(asked).toEqual([])
  })
})
