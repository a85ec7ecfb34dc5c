import { describe, expect, test } from 'vitest'
import { createTestIssuer as createSharedIssuer, failure } from './helpers.ts'
import { challengeFor, enrolledUser } from '../mfa/helpers.ts'
import type { MfaUser } from '../mfa/helpers.ts'
import type { TestIssuer } from './helpers.ts'

// The defaults of RATE_LIMIT_MFA_ACCOUNT and RATE_LIMIT_MFA_IP (README: Second factor).
const LIMITS = { RATE_LIMIT_MFA_ACCOUNT: '10/3600', RATE_LIMIT_MFA_IP: '30/900' }

let addresses = 0

/**
 * An issuer whose every call comes from an address of this test's own: workerd test files share
 * one D1, and the address's counter must hold only this test's guesses.
 */
function createTestIssuer(vars: Record<string, string>): TestIssuer {
  const t = createSharedIssuer(vars)
  const ip = `2001:db8:${process.pid % 65536 || 1}:${++addresses}::1`
  return {
    ...t,
    call: (path, input, options = {}) =>
      t.call(path, input, { ...options, headers: { 'cf-connecting-ip': ip, ...options.headers } }),
  }
}

/** A code that is right for none of the three steps the issuer would accept now. */
function wrongFor(mfa: MfaUser): string {
  const near = new Set([-1, 0, 1].map((steps) => mfa.code(steps)))
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0')
    if (!near.has(code)) return code
  }
}

/** Guesses for `seconds` of the issuer's clock, waiting out every Retry-After it is told. */
async function guessFor(t: TestIssuer, mfa: MfaUser, seconds: number) {
  const end = t.issuer.now() + seconds * 1000
  const counts = { judged: 0, limited: 0, challenges: 1 }
  const others: unknown[] = []
  let challenge = await challengeFor(t, mfa.user)
  while (t.issuer.now() < end) {
    const result = await t.call('auth.verifyMfa', { challenge, code: wrongFor(mfa) })
    const { status, reason } = failure(result)
    const retryAfter = Number(result.headers.get('retry-after'))
    if (reason === 'MFA_CODE_INVALID') counts.judged++
    else if (reason === 'MFA_CHALLENGE_INVALID') {
      challenge = await challengeFor(t, mfa.user)
      counts.challenges++
    } else if (status === 429 && reason === 'RATE_LIMITED' && retryAfter >= 1) {
      counts.limited++
      t.advance(retryAfter)
    } else {
      others.push({ status, reason, retryAfter })
      break
    }
  }
  // Nothing but a judged wrong code, a spent challenge or a 429 with its Retry-After.
  expect(others).toEqual([])
  return counts
}

describe('brute force over the code space', { timeout: 180_000 }, () => {
  test('one account: 10 guesses an hour get judged, the rest wait with Retry-After', async () => {
    const t = createTestIssuer(LIMITS)
    const mfa = await enrolledUser(t)
    const hours = 6
    const counts = await guessFor(t, mfa, hours * 3600)
    // 10 wrong codes an hour (240 a day), and each is right for 3 of 10^6 codes at most: a chance
    // of 7.2e-4 a day, an even chance only after about 2.6 years of this.
    expect(counts.judged).toBeLessThanOrEqual(10 * hours)
    expect(counts.judged).toBeGreaterThanOrEqual(10 * (hours - 1))
    expect(counts.limited).toBeGreaterThan(0)
    console.log(`mfa brute force, one account, ${hours} h: ${JSON.stringify(counts)}`)
    // Waiting out the limit, the owner's own right code still works.
    t.advance(3600)
    const ok = await t.call('auth.verifyMfa', {
      challenge: await challengeFor(t, mfa.user),
      code: mfa.nextCode(),
    })
    expect(ok.status).toBe(200)
  })

  test('after five wrong codes each guess waits longer: the back-off of sign-in', async () => {
    const t = createTestIssuer(LIMITS)
    const mfa = await enrolledUser(t)
    const challenge = () => challengeFor(t, mfa.user)
    let current = await challenge()
    const retries: number[] = []
    for (let i = 0; i < 20 && retries.length < 3; i++) {
      let result = await t.call('auth.verifyMfa', { challenge: current, code: wrongFor(mfa) })
      if (failure(result).reason === 'MFA_CHALLENGE_INVALID') {
        current = await challenge()
        result = await t.call('auth.verifyMfa', { challenge: current, code: wrongFor(mfa) })
      }
      if (failure(result).reason === 'RATE_LIMITED') {
        const wait = Number(result.headers.get('retry-after'))
        retries.push(wait)
        t.advance(wait)
      }
    }
    expect(retries).toEqual([1, 2, 4])
  })

  test('many accounts from one address: 30 guesses per 15 minutes in all', async () => {
    const t = createTestIssuer(LIMITS)
    const users = [
      await enrolledUser(t),
      await enrolledUser(t),
      await enrolledUser(t),
      await enrolledUser(t),
    ]
    const challenges = await Promise.all(users.map((mfa) => challengeFor(t, mfa.user)))
    let judged = 0
    let refusal: { status: number; reason: string } | undefined
    let retryAfter: string | null = null
    for (let i = 0; i < 40 && refusal === undefined; i++) {
      const n = i % users.length
      const result = await t.call('auth.verifyMfa', {
        challenge: challenges[n],
        code: wrongFor(users[n]!),
      })
      const { reason } = failure(result)
      if (reason === 'MFA_CODE_INVALID') judged++
      else if (reason === 'MFA_CHALLENGE_INVALID')
        challenges[n] = await challengeFor(t, users[n]!.user)
      else {
        refusal = failure(result)
        retryAfter = result.headers.get('retry-after')
      }
      // Past each account's back-off, so only the address's limit is in the way.
      t.advance(20)
    }
    expect(refusal).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(Number(retryAfter)).toBeGreaterThan(0)
    expect(judged).toBeLessThanOrEqual(30)
  })
})
