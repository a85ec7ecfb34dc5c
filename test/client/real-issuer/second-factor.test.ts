import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { ACR, TOTP_PERIOD } from '../../../contract/index.ts'
import { decodeBase32, totpAt } from '../../worker/mfa/helpers.ts'
import { challengeOf, sessionOf } from '../helpers/sign-in-result.ts'
import { createAppApi } from './app-api.ts'
import { createWorld } from './world.ts'
import type { StepUpRequiredEvent } from '../../../client/index.ts'
import type { Device, World } from './world.ts'

let world: World
let enrolled: { device: Device; code(): string; recoveryCodes: string[] }
beforeEach(async () => {
  // Two-minute access tokens: a few minutes of the world's clock see refreshes.
  world = await createWorld({ ACCESS_TOKEN_TTL: '120' })
  enrolled = await enrol(await world.signedIn())
})
afterEach(() => world.close())

/**
 * Adds an authenticator to the world's user through the client (`mfa.*` carry the session's
 * token, unbatched): `code()` is the app's code of the next time step, as a new code must be.
 */
async function enrol(device: Device) {
  const { uri } = await device.rotor.mfa.enrollTotp.mutate({ password: world.user.password })
  const secret = decodeBase32(new URL(uri).searchParams.get('secret')!)
  const now = () => world.t.issuer.now()
  const { recoveryCodes } = await device.rotor.mfa.confirmTotp.mutate({
    code: totpAt(secret, now()),
  })
  const code = () => {
    world.advance(TOTP_PERIOD)
    return totpAt(secret, now())
  }
  return { device, code, recoveryCodes }
}

const nowSeconds = () => Math.floor(world.t.issuer.now() / 1000)

describe('two-step sign-in with rotor/client', () => {
  test('login resolves to the challenge, no session; verifyMfa with a code starts it', async () => {
    const phone = world.device()
    const result = await phone.rotor.login(world.user)
    expect(result).toEqual({
      mfaRequired: {
        challenge: expect.any(String),
        expiresAt: nowSeconds() + 300,
        methods: ['totp', 'recovery_code'],
      },
    })
    expect(phone.rotor.getSession()).toBeNull()

    const session = await phone.rotor.verifyMfa({
      challenge: challengeOf(result),
      code: enrolled.code(),
    })
    expect(session.assurance).toEqual({
      amr: ['pwd', 'otp', 'mfa'],
      acr: ACR.multiFactor,
      authTime: nowSeconds(),
    })
    expect(phone.rotor.getSession()).toEqual(session)
    await expect(phone.rotor.auth.me.query()).resolves.toMatchObject({ email: world.user.email })
  })

  test('in cookie mode the second step sets the refresh cookie: a new tab finds the session', async () => {
    const browser = world.browser()
    const tab = world.device({ browser })
    const challenge = challengeOf(await tab.rotor.login(world.user))
    expect(browser.cookies.size).toBe(0)
    await tab.rotor.verifyMfa({ challenge, code: enrolled.code() })
    expect(browser.cookies.size).toBe(1)
    const second = world.device({ browser, crossTab: false })
    expect(await second.rotor.getAccessToken()).not.toBeNull()
    expect(second.rotor.getSession()?.assurance.amr).toContain('otp')
  })

  test('a wrong code is MFA_CODE_INVALID and leaves the challenge for the right one', async () => {
    const phone = world.device()
    const challenge = challengeOf(await phone.rotor.login(world.user))
    const code = enrolled.code()
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    await expect(phone.rotor.verifyMfa({ challenge, code: wrong })).rejects.toMatchObject({
      data: { reason: 'MFA_CODE_INVALID' },
    })
    expect(phone.rotor.getSession()).toBeNull()
    expect(sessionOf(await phone.rotor.verifyMfa({ challenge, code })).user.email).toBe(
      world.user.email,
    )
  })

  test('a recovery code signs in once and says how many are left', async () => {
    const [recoveryCode] = enrolled.recoveryCodes
    const phone = world.device()
    const session = await phone.rotor.verifyMfa({
      challenge: challengeOf(await phone.rotor.login(world.user)),
      recoveryCode: recoveryCode!,
    })
    expect(session.recoveryCodesLeft).toBe(9)
    expect(session.assurance.amr).toEqual(['pwd', 'otp', 'mfa'])
    const laptop = world.device()
    const again = laptop.rotor.verifyMfa({
      challenge: challengeOf(await laptop.rotor.login(world.user)),
      recoveryCode: recoveryCode!,
    })
    await expect(again).rejects.toMatchObject({ data: { reason: 'MFA_CODE_INVALID' } })
  })
})

describe('step-up with rotor/client, against an API that demands it', () => {
  const secondFactor = { amr: ['otp'], maxAge: 300 }
  const apiOf = (device: Device) =>
    createAppApi(world.t, device.rotor, {
      mode: 'strict',
      now: () => world.t.issuer.now(),
      stepUp: secondFactor,
    })

  test('a password-only session: refused, onStepUpRequired, stepUp with a code, the retry passes', async () => {
    // The session the factor was added from was signed in with the password alone.
    const { device } = enrolled
    expect(device.rotor.getSession()?.assurance.amr).toEqual(['pwd'])
    const asked: StepUpRequiredEvent[] = []
    device.rotor.onStepUpRequired((event) => asked.push(event))
    const api = apiOf(device)
    await expect(api.whoami.query()).rejects.toThrow()
    expect(asked).toEqual([{ requirement: { maxAge: 300, amrValues: ['otp'] } }])

    const before = device.rotor.getSession()!
    const stepped = await device.rotor.stepUp({ code: enrolled.code() })
    expect(stepped).toMatchObject({
      sessionId: before.sessionId,
      refreshTokenExpiresAt: before.refreshTokenExpiresAt,
      recoveryCodesLeft: 10,
      assurance: { amr: ['pwd', 'otp', 'mfa'], acr: ACR.multiFactor, authTime: nowSeconds() },
    })
    await expect(api.whoami.query()).resolves.toEqual({ sub: before.user.id })
    // The session carries it across refreshes, and the API still takes it within its 300 s.
    device.requests.length = 0
    world.advance(250)
    await world.settle()
    expect(device.requests).toEqual([['auth.refresh']])
    expect(device.rotor.getSession()?.assurance).toEqual(stepped.assurance)
    await expect(api.whoami.query()).resolves.toEqual({ sub: before.user.id })
    expect(asked).toHaveLength(1)
  })

  test('a second factor too long ago: refused as too old, a step-up renews auth_time', async () => {
    const phone = world.device()
    await phone.rotor.verifyMfa({
      challenge: challengeOf(await phone.rotor.login(world.user)),
      code: enrolled.code(),
    })
    const signedInAt = phone.rotor.getSession()!.assurance.authTime!
    world.advance(301)
    const asked: StepUpRequiredEvent[] = []
    phone.rotor.onStepUpRequired((event) => asked.push(event))
    await expect(apiOf(phone).whoami.query()).rejects.toThrow()
    expect(asked).toHaveLength(1)
    const stepped = await phone.rotor.stepUp({ code: enrolled.code() })
    expect(stepped.assurance.authTime).toBe(nowSeconds())
    expect(stepped.assurance.authTime! - signedInAt).toBeGreaterThan(300)
    await expect(apiOf(phone).whoami.query()).resolves.toBeDefined()
  })

  test('a wrong step-up code changes nothing: the same token, the same assurance', async () => {
    const { device } = enrolled
    const token = await device.rotor.getAccessToken()
    const before = device.rotor.getSession()
    const wrong = String((Number(enrolled.code()) + 1) % 1_000_000).padStart(6, '0')
    await expect(device.rotor.stepUp({ code: wrong })).rejects.toMatchObject({
      data: { reason: 'MFA_CODE_INVALID' },
    })
    expect(await device.rotor.getAccessToken()).toBe(token)
    expect(device.rotor.getSession()).toEqual(before)
  })

  test('a step-up in one tab reaches the other tabs of the browser', async () => {
    const browser = world.browser()
    const first = world.device({ browser })
    const challenge = challengeOf(await first.rotor.login(world.user))
    await first.rotor.verifyMfa({ challenge, code: enrolled.code() })
    const second = world.device({ browser })
    await second.rotor.getAccessToken()
    await world.settle()
    world.advance(400)
    await world.settle()
    await first.rotor.stepUp({ code: enrolled.code() })
    await world.settle()
    expect(second.rotor.getSession()?.assurance.authTime).toBe(nowSeconds())
    await expect(apiOf(second).whoami.query()).resolves.toBeDefined()
  })
})
