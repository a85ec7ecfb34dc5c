import { describe, expect, test } from 'vitest'
import { TOTP_PERIOD } from '../../../contract/index.ts'
import { createTestIssuer, failure } from '../helpers/issuer.ts'
import { challengeFor, enrolledUser, mfaRows, totpAt } from './helpers.ts'
import type { MfaUser } from './helpers.ts'

const STEP_MS = TOTP_PERIOD * 1000

describe('clock skew at the edges of the drift window', { timeout: 30_000 }, () => {
  const t = createTestIssuer()

  /** Puts the issuer's clock `offsetMs` into a fresh time step (a few steps ahead). */
  function moveTo(offsetMs: number) {
    const now = t.issuer.now()
    const nextStart = (Math.floor(now / STEP_MS) + 3) * STEP_MS
    t.advance((nextStart + offsetMs - now) / 1000)
  }

  async function attempt(mfa: MfaUser, code: string) {
    return t.call('auth.verifyMfa', { challenge: await challengeFor(t, mfa.user), code })
  }

  test('a code one step behind or ahead is accepted, at either end of the issuer’s step', async () => {
    for (const offset of [0, STEP_MS - 1]) {
      const mfa = await enrolledUser(t)
      // Behind first, then ahead: each is a later step than the one used before it.
      for (const steps of [-1, 1]) {
        moveTo(offset)
        const code = totpAt(mfa.secret, t.issuer.now() + steps * STEP_MS)
        const result = await attempt(mfa, code)
        expect(result.status, `offset ${offset} ms, ${steps} step`).toBe(200)
      }
    }
  })

  test('a code two steps behind or ahead is refused, at either end of the step, and changes nothing', async () => {
    const mfa = await enrolledUser(t)
    for (const offset of [0, STEP_MS - 1]) {
      for (const steps of [-2, 2]) {
        moveTo(offset)
        const code = totpAt(mfa.secret, t.issuer.now() + steps * STEP_MS)
        const near = [-1, 0, 1].map((s) => totpAt(mfa.secret, t.issuer.now() + s * STEP_MS))
        if (near.includes(code)) continue
        const before = await mfaRows(mfa.user.id)
        const result = await attempt(mfa, code)
        expect(failure(result), `offset ${offset} ms, ${steps} steps`).toEqual({
          status: 401,
          reason: 'MFA_CODE_INVALID',
        })
        const after = await mfaRows(mfa.user.id)
        expect(after.factor).toEqual(before.factor)
        expect(after.sessions).toEqual(before.sessions)
      }
    }
  })

  test('after a code of a step ahead is used, the current step’s code is refused (never backwards)', async () => {
    const mfa = await enrolledUser(t)
    moveTo(1000)
    while (mfa.code(0) === mfa.code(1)) t.advance(TOTP_PERIOD)
    const ahead = totpAt(mfa.secret, t.issuer.now() + STEP_MS)
    const current = totpAt(mfa.secret, t.issuer.now())
    expect((await attempt(mfa, ahead)).status).toBe(200)
    expect(failure(await attempt(mfa, current)).reason).toBe('MFA_CODE_INVALID')
    t.advance(TOTP_PERIOD)
    // Now the used step is the current one: its code is still refused; the next step's works.
    expect(failure(await attempt(mfa, ahead)).reason).toBe('MFA_CODE_INVALID')
    expect((await attempt(mfa, mfa.code(1))).status).toBe(200)
  })
})
