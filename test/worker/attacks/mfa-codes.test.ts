import { beforeAll, describe, expect, test } from 'vitest'
import {
  createTestIssuer,
  expectIntact,
  failure,
  remember,
  snapshot,
  watchLogs,
} from './helpers.ts'
import { challengeFor, enrolledUser, mfaRows } from '../mfa/helpers.ts'
import type { MfaUser } from '../mfa/helpers.ts'
import type { CallResult, Victim } from './helpers.ts'

// Every refusal leaves the victim as it was: sessions, refresh tokens, password, the factor and
// its codes (the last used step included), bar the audit rows a failure writes.
describe('attacks on the second step', { timeout: 30_000 }, () => {
  // Many wrong codes in a row here: the sign-in back-off they share is lifted (its own test is
  // in mfa-brute-force.test.ts).
  const t = createTestIssuer({ RATE_LIMIT_LOGIN_BACKOFF_AFTER: '100000' })
  watchLogs()
  let victim: MfaUser
  let attacker: MfaUser
  let asVictim: Victim

  beforeAll(async () => {
    victim = await enrolledUser(t)
    attacker = await enrolledUser(t)
    asVictim = { user: victim.user, pair: victim.pair }
    remember(victim.secretText, attacker.secretText, ...victim.recoveryCodes)
  }, 30_000)

  async function expectRefused(
    attack: () => Promise<CallResult>,
    refusal: { status: number; reason: string },
    failures: number | 'any' = 0,
    label = '',
  ) {
    const before = await snapshot(victim.user.id)
    const mfaBefore = await mfaRows(victim.user.id)
    const result = await attack()
    expect(failure(result), label).toEqual(refusal)
    // A sign-in's first step (a challenge) is audited; so is each wrong code.
    const audit: Record<string, number | 'any'> = { 'mfa.challenge': 'any' }
    if (failures !== 0) audit['mfa.failure'] = failures
    await expectIntact(t, asVictim, before, { audit })
    const mfaAfter = await mfaRows(victim.user.id)
    expect(mfaAfter.factor, 'factor').toEqual(mfaBefore.factor)
    expect(mfaAfter.codes, 'recovery codes').toEqual(mfaBefore.codes)
  }

  const wrongCode = () => {
    const near = [-1, 0, 1].map((s) => victim.code(s))
    return ['000000', '111111', '222222', '333333'].find((c) => !near.includes(c))!
  }

  test('a wrong code is MFA_CODE_INVALID and counts', async () => {
    await expectRefused(
      async () =>
        t.call('auth.verifyMfa', {
          challenge: await challengeFor(t, victim.user),
          code: wrongCode(),
        }),
      { status: 401, reason: 'MFA_CODE_INVALID' },
      1,
    )
  })

  test('malformed codes and answers are INVALID_INPUT before any work', async () => {
    const challenge = await challengeFor(t, victim.user)
    const inputs = [
      { challenge, code: '12345' },
      { challenge, code: '1234567' },
      { challenge, code: '12 456' },
      { challenge, code: '١٢٣٤٥٦' },
      { challenge, code: 123456 },
      { challenge, code: victim.code(), recoveryCode: victim.recoveryCodes[0] },
      { challenge },
      { challenge, recoveryCode: 'not-a-recovery-code-1' },
      { challenge, recoveryCode: 'aaaa-bbbb-cccc-dddd-e' },
      { challenge: 'x'.repeat(65), code: victim.code() },
      { code: victim.code() },
    ]
    for (const input of inputs) {
      const label = JSON.stringify(input)
      const refusal = { status: 400, reason: 'INVALID_INPUT' }
      await expectRefused(() => t.call('auth.verifyMfa', input), refusal, 0, label)
    }
  })

  test('skipping the second step starts nothing: the challenge is no token', async () => {
    const challenge = await challengeFor(t, victim.user)
    await expectRefused(() => t.call('auth.me', undefined, { token: challenge }), {
      status: 401,
      reason: 'TOKEN_INVALID',
    })
    await expectRefused(() => t.call('auth.refresh', { refreshToken: challenge }), {
      status: 401,
      reason: 'REFRESH_TOKEN_INVALID',
    })
  })

  test('a challenge works once', async () => {
    const challenge = await challengeFor(t, victim.user)
    expect((await t.call('auth.verifyMfa', { challenge, code: victim.nextCode() })).status).toBe(
      200,
    )
    await expectRefused(() => t.call('auth.verifyMfa', { challenge, code: victim.nextCode() }), {
      status: 401,
      reason: 'MFA_CHALLENGE_INVALID',
    })
  })

  test('a code works once, even with a fresh challenge', async () => {
    const code = victim.nextCode()
    const first = await t.call('auth.verifyMfa', {
      challenge: await challengeFor(t, victim.user),
      code,
    })
    expect(first.status).toBe(200)
    await expectRefused(
      async () => t.call('auth.verifyMfa', { challenge: await challengeFor(t, victim.user), code }),
      { status: 401, reason: 'MFA_CODE_INVALID' },
      1,
    )
  })

  test('a challenge past its five minutes is refused, right code or not', async () => {
    const challenge = await challengeFor(t, victim.user)
    t.advance(301)
    await expectRefused(() => t.call('auth.verifyMfa', { challenge, code: victim.code() }), {
      status: 401,
      reason: 'MFA_CHALLENGE_INVALID',
    })
  })

  test('the attacker’s challenge with the victim’s code signs in no one', async () => {
    const challenge = await challengeFor(t, attacker.user)
    const code = victim.nextCode()
    if (code === attacker.code()) return
    const attackerBefore = await mfaRows(attacker.user.id)
    await expectRefused(() => t.call('auth.verifyMfa', { challenge, code }), {
      status: 401,
      reason: 'MFA_CODE_INVALID',
    })
    expect((await mfaRows(attacker.user.id)).sessions).toEqual(attackerBefore.sessions)
  })

  test('the victim’s challenge with the attacker’s own code is refused', async () => {
    const challenge = await challengeFor(t, victim.user)
    const code = attacker.nextCode()
    if ([-1, 0, 1].map((s) => victim.code(s)).includes(code)) return
    await expectRefused(
      () => t.call('auth.verifyMfa', { challenge, code }),
      {
        status: 401,
        reason: 'MFA_CODE_INVALID',
      },
      1,
    )
  })

  test('a challenge dies after five wrong codes, and the right one then fails too', async () => {
    const challenge = await challengeFor(t, victim.user)
    const pending = (await mfaRows(victim.user.id)).challenges.length
    for (let i = 0; i < 5; i++) {
      const result = await t.call('auth.verifyMfa', { challenge, code: wrongCode() })
      expect(failure(result).reason).toBe('MFA_CODE_INVALID')
    }
    expect((await mfaRows(victim.user.id)).challenges.length).toBe(pending - 1)
    await expectRefused(() => t.call('auth.verifyMfa', { challenge, code: victim.nextCode() }), {
      status: 401,
      reason: 'MFA_CHALLENGE_INVALID',
    })
  })

  test('parallel guesses at one challenge get at most five judged', async () => {
    const challenge = await challengeFor(t, victim.user)
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.call('auth.verifyMfa', { challenge, code: wrongCode() })),
    )
    const judged = results.filter((r) => failure(r).reason === 'MFA_CODE_INVALID').length
    expect(judged).toBeLessThanOrEqual(5)
    for (const r of results) {
      expect(['MFA_CODE_INVALID', 'MFA_CHALLENGE_INVALID']).toContain(failure(r).reason)
    }
  })
})
