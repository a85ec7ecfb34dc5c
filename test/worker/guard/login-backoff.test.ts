import { describe, expect, test } from 'vitest'
import { createTestIssuer, failure, registerUser } from '../helpers/issuer.ts'
import type { CallResult, TestIssuer } from '../helpers/issuer.ts'

const attempt = (t: TestIssuer, email: string, password: string) =>
  t.call('auth.login', { email, password })

describe('sign-in back-off', () => {
  test('RATE_LIMIT_LOGIN_BACKOFF_AFTER sets how many consecutive failures start it', async () => {
    const t = createTestIssuer({
      RATE_LIMIT_LOGIN_ACCOUNT: '20/900',
      RATE_LIMIT_LOGIN_BACKOFF_AFTER: '2',
    })
    const user = await registerUser(t)
    await attempt(t, user.email, 'wrong password')
    expect(failure(await attempt(t, user.email, 'wrong again'))).toMatchObject({ status: 401 })
    const early = await attempt(t, user.email, user.password)
    expect(failure(early)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(early.headers.get('retry-after')).toBe('1')
    t.advance(1)
    expect((await attempt(t, user.email, user.password)).status).toBe(200)
  })

  test('a higher threshold lets that many failures through without waiting', async () => {
    const t = createTestIssuer({
      RATE_LIMIT_LOGIN_ACCOUNT: '20/900',
      RATE_LIMIT_LOGIN_BACKOFF_AFTER: '8',
    })
    const user = await registerUser(t)
    for (let i = 0; i < 8; i++) {
      expect(failure(await attempt(t, user.email, 'wrong'))).toMatchObject({ status: 401 })
    }
    expect(failure(await attempt(t, user.email, user.password))).toMatchObject({ status: 429 })
  })

  test('parallel sign-ins with the right password are not failures: none is backed off', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '10/900' })
    const user = await registerUser(t)
    const burst = await Promise.all(
      Array.from({ length: 16 }, () => attempt(t, user.email, user.password)),
    )
    const refused = burst.filter((result) => result.status !== 200)
    // At most the account limit is in flight at once (so guesses cannot slip past it together);
    // the rest are told to retry in a second, not to back off for the whole window.
    expect(burst.length - refused.length).toBeGreaterThanOrEqual(10)
    for (const result of refused) expectInFlight(result)
    t.advance(1)
    const retried = await Promise.all(refused.map(() => attempt(t, user.email, user.password)))
    expect(retried.map((result) => result.status)).toEqual(refused.map(() => 200))
  }, 30_000)

  test('sign-ins in flight beyond the account limit wait a second, then the failures count', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '3/900' })
    const user = await registerUser(t)
    const guesses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => attempt(t, user.email, `parallel guess ${i}`)),
    )
    const refused = guesses.filter((guess) => guess.status === 429)
    expect(refused).toHaveLength(3)
    for (const result of refused) expectInFlight(result)
    t.advance(1)
    const locked = await attempt(t, user.email, user.password)
    expect(failure(locked)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800)
  })
})

function expectInFlight(result: CallResult) {
  expect(failure(result)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
  expect(result.headers.get('retry-after')).toBe('1')
  expect(result.body.error.message).toMatch(/in progress/)
}
