import { beforeEach, describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import {
  createTestIssuer,
  createVictim,
  expectIntact,
  failure,
  remember,
  snapshot,
  useScene,
} from './helpers.ts'
import type { CallResult, TestIssuer } from './helpers.ts'

// OWASP ASVS 2.2.1 (anti-automation), 2.1 (password handling), 3.2 and the OWASP Authentication
// cheat sheet on user enumeration: credential stuffing, lock-out evasion, and telling known from
// unknown emails by message or by time. Failures add up per account and back off after 5, so the
// shared victim's counting window (60 s on this issuer) is let pass before each test, and the
// tests with real limits have victims of their own.
const scene = useScene()
const { t } = scene
beforeEach(() => t.advance(61))

// A fresh documentation-range address per use, so no other test's counter is shared.
const ip = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`
const attempt = (issuer: TestIssuer, email: string, password: string, headers = {}) => {
  remember(password)
  return issuer.call('auth.login', { email, password }, { headers })
}
const ghost = () => `ghost-${crypto.randomUUID()}@example.com`
const usersWith = async (email: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?')
    .bind(email)
    .first<{ n: number }>())!.n

describe('user enumeration (OWASP authentication cheat sheet)', () => {
  test('known, known in other case, and unknown emails get byte-identical refusals', async () => {
    const before = await snapshot(scene.victim.user.id)
    const email = ghost()
    const answers: CallResult[] = [
      await attempt(t, scene.victim.user.email, 'not the password at all'),
      await attempt(t, scene.victim.user.email.toUpperCase(), 'not the password at all'),
      await attempt(t, email, 'not the password at all'),
    ]
    for (const answer of answers) {
      expect(failure(answer)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
      expect(JSON.stringify(answer.body)).toBe(JSON.stringify(answers[0]!.body))
      expect([...answer.headers.keys()].sort()).toEqual([...answers[0]!.headers.keys()].sort())
    }
    expect(await usersWith(email)).toBe(0)
    await expectIntact(t, scene.victim, before, { audit: { 'login.failure': 2 } })
  })

  test('a login for an unknown email takes about as long as one for a known email', async () => {
    const before = await snapshot(scene.victim.user.id)
    const timed = async (email: string) => {
      const start = performance.now()
      const result = await attempt(t, email, 'not the password at all')
      expect(failure(result)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
      return performance.now() - start
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    // One round: 4 logins each way, interleaved so that load on the machine hits both alike.
    let knownTries = 0
    const round = async () => {
      const known: number[] = []
      const unknown: number[] = []
      for (let i = 0; i < 4; i++) {
        t.advance(61)
        unknown.push(await timed(ghost()))
        known.push(await timed(scene.victim.user.email))
        knownTries++
      }
      return { ratio: mean(unknown) / mean(known), known: mean(known), unknown: mean(unknown) }
    }
    // The decoy hash for unknown emails is made on first use: warm it first.
    await timed(ghost())
    // A real difference shows in every round; a noisy neighbour rarely twice in a row.
    const inRange = (r: { ratio: number }) => r.ratio > 0.5 && r.ratio < 2
    let result = await round()
    if (!inRange(result)) result = await round()
    expect(
      result.ratio,
      `unknown ${result.unknown} ms vs known ${result.known} ms`,
    ).toBeGreaterThan(0.5)
    expect(result.ratio).toBeLessThan(2)
    await expectIntact(t, scene.victim, before, { audit: { 'login.failure': knownTries } })
  })

  test('registering the victim’s email again in other case is EMAIL_TAKEN and takes nothing over', async () => {
    const before = await snapshot(scene.victim.user.id)
    const result = await t.call('auth.register', {
      email: scene.victim.user.email.toUpperCase(),
      password: 'the attacker’s own passphrase',
    })
    expect(failure(result)).toEqual({ status: 409, reason: 'EMAIL_TAKEN' })
    const takeover = await attempt(t, scene.victim.user.email, 'the attacker’s own passphrase')
    expect(failure(takeover)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    await expectIntact(t, scene.victim, before, { audit: { 'login.failure': 1 } })
  })
})

describe('credential stuffing and lock-out evasion (ASVS 2.2.1)', () => {
  test('a stuffing list of common passwords signs nobody in and starts no session', async () => {
    const before = await snapshot(scene.victim.user.id)
    for (const password of ['password123', 'Password1!', 'correct horse battery stapl']) {
      expect(failure(await attempt(t, scene.victim.user.email, password))).toEqual({
        status: 401,
        reason: 'INVALID_CREDENTIALS',
      })
    }
    await expectIntact(t, scene.victim, before, { audit: { 'login.failure': 3 } })
  })

  test('rotating X-Forwarded-For and friends does not reset the per-IP limit', async () => {
    const limited = createTestIssuer({ RATE_LIMIT_LOGIN_IP: '3/60' })
    const victim = await createVictim(t)
    const before = await snapshot(victim.user.id)
    const real = ip()
    for (let i = 0; i < 3; i++) {
      const spoofed = {
        'x-forwarded-for': `10.0.0.${i}`,
        'x-real-ip': `10.0.1.${i}`,
        'true-client-ip': `10.0.2.${i}`,
      }
      const result = await attempt(limited, ghost(), 'not the password', {
        'cf-connecting-ip': real,
        ...spoofed,
      })
      expect(failure(result)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    }
    const blocked = await attempt(limited, victim.user.email, victim.user.password, {
      'cf-connecting-ip': real,
      'x-forwarded-for': '10.9.9.9',
    })
    expect(failure(blocked)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    await expectIntact(t, victim, before, { audit: { 'rate-limited': 1 } })
  })

  test('failures under case variants of one email count against one account', async () => {
    // Its own issuer, clock and victim: the limit must be low, and tokens must match its clock.
    const limited = createTestIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '3/900' })
    const victim = await createVictim(limited)
    const before = await snapshot(victim.user.id)
    const [local, domain] = victim.user.email.split('@')
    for (const email of [
      victim.user.email.toUpperCase(),
      `${local}@${domain!.toUpperCase()}`,
      victim.user.email,
    ]) {
      expect(
        failure(await attempt(limited, email, 'not the password', { 'cf-connecting-ip': ip() })),
      ).toEqual({
        status: 401,
        reason: 'INVALID_CREDENTIALS',
      })
    }
    const locked = await attempt(limited, victim.user.email, victim.user.password, {
      'cf-connecting-ip': ip(),
    })
    expect(failure(locked)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    await expectIntact(t, victim, before, {
      audit: { 'login.failure': 3, 'rate-limited': 1 },
    })
  })

  test('a long password is compared whole: neither its first 72 characters nor one more sign in', async () => {
    const long = `${'long passphrase '.repeat(6)}${crypto.randomUUID()}`
    remember(long)
    const changed = await t.call(
      'auth.changePassword',
      { currentPassword: scene.victim.user.password, newPassword: long },
      { token: scene.victim.pair.accessToken },
    )
    expect(changed.status).toBe(200)
    scene.victim.user.password = long
    const before = await snapshot(scene.victim.user.id)
    for (const password of [long.slice(0, 72), `${long}x`]) {
      expect(failure(await attempt(t, scene.victim.user.email, password))).toEqual({
        status: 401,
        reason: 'INVALID_CREDENTIALS',
      })
    }
    await expectIntact(t, scene.victim, before, { audit: { 'login.failure': 2 } })
  })

  test('guessing the current password through auth.changePassword is limited like sign-in', async () => {
    // Its own issuer, clock and victim: the limit must be low, and tokens must match its clock.
    const limited = createTestIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '3/900' })
    const victim = await createVictim(limited)
    const before = await snapshot(victim.user.id)
    // A thief with a stolen access token uses the password change as a password oracle.
    const guess = (currentPassword: string) => {
      remember(currentPassword)
      return limited.call(
        'auth.changePassword',
        { currentPassword, newPassword: 'the thief’s new passphrase' },
        { token: victim.pair.accessToken },
      )
    }
    for (const password of ['guess one is wrong', 'guess two is wrong', 'guess three is wrong']) {
      expect(failure(await guess(password))).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    }
    expect(failure(await guess(victim.user.password))).toEqual({
      status: 429,
      reason: 'RATE_LIMITED',
    })
    await expectIntact(limited, victim, before, {
      audit: { 'login.failure': 'any', 'rate-limited': 'any' },
    })
  })
})
