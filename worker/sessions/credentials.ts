import { RotorError } from '../../contract/index.ts'
import {
  DECOY_HASH,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../passwords/password-hash.ts'
import { assertLoginAllowed, loginKeys } from '../guard/login-guard.ts'
import { ipLimitKey } from '../guard/ip-key.ts'
import { enforceLimit } from '../guard/rate-limited.ts'
import { assertStrongPassword } from '../passwords/password-policy.ts'
import { signInFromUpstream } from './upstream-sign-in.ts'
import type { Issuer } from '../issuer.ts'
import type { UserRecord } from '../store/session-store.ts'
import type { RequestInfo } from './request-info.ts'
import { normalizeEmail } from './email.ts'

export type CheckedCredentials = {
  user: UserRecord
  clearRateLimitKeys: string[]
  /** Rotor's hash of the password when the stored one is not Rotor's current scheme. */
  upgradedHash: string | undefined
  /** Whether the user has a confirmed second factor, so sign-in needs a second step. */
  secondFactor: boolean
}

export async function registerUser(
  issuer: Issuer,
  input: { email: string; password: string },
  info: RequestInfo,
): Promise<{ id: string; email: string }> {
  const email = normalizeEmail(input.email)
  assertStrongPassword(input.password, email)
  await enforceLimit(issuer, ipLimitKey('register', info.ip), issuer.config.rateLimits.registerIp)
  const user = { id: crypto.randomUUID(), email, passwordHash: await hashPassword(input.password) }
  const now = issuer.now()
  const result = await issuer.store.createUser(
    { ...user, createdAt: now },
    { event: 'register', at: now, userId: user.id, ...info },
  )
  if (result === 'email-taken')
    throw new RotorError('EMAIL_TAKEN', 'That email cannot be registered')
  return { id: user.id, email }
}

/**
 * Checks an email and password after the rate limits. An unknown email costs one full hash too,
 * counts failures alike and gets the same answer, so neither message, timing nor a 429 says
 * whether the account exists. Returns the user and the counters a successful sign-in resets, and
 * Rotor's hash of the password when the stored one is foreign or outdated, unless the caller is
 * about to replace the password anyway (`upgrade: false`, a password change).
 */
export async function checkCredentials(
  issuer: Issuer,
  input: { email: string; password: string },
  info: RequestInfo,
  { upgrade = true }: { upgrade?: boolean } = {},
): Promise<CheckedCredentials> {
  const { rateLimits } = issuer.config
  const email = normalizeEmail(input.email)
  const now = issuer.now()
  const { ipKey, attemptKey, failKey } = await loginKeys(email, info.ip)
  const { user, ip, failures, attempt, secondFactor } = await issuer.store.beginLogin({
    email,
    ipKey,
    attemptKey,
    failKey,
    now,
    ipWindowMs: rateLimits.loginIp.window * 1000,
    accountWindowMs: rateLimits.loginAccount.window * 1000,
  })
  try {
    assertLoginAllowed(rateLimits, { ip, failures, attempt }, now)
  } catch (error) {
    // Refused before any hashing: the attempt was no guess, so it does not count as a failure.
    await issuer.store.refundLoginAttempt(attemptKey)
    // Audit account lock-outs, and an IP only as it first crosses its limit: bounded rows.
    if (ip.count <= rateLimits.loginIp.limit + 1) {
      const audit = {
        event: 'rate-limited',
        at: now,
        userId: user?.id ?? null,
        detail: 'login',
        ...info,
      } as const
      await issuer.store.recordAudit(audit)
    }
    throw error
  }
  // No password here yet and an upstream configured: it decides (lazy migration).
  const migrated = await signInFromUpstream(
    issuer,
    { email, password: input.password, user, failKey },
    info,
  )
  // A user just migrated has no second factor here yet.
  if (migrated) {
    const clearRateLimitKeys = [attemptKey, failKey]
    return { user: migrated, clearRateLimitKeys, upgradedHash: undefined, secondFactor: false }
  }
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DECOY_HASH)
  if (!user || !ok) {
    await issuer.store.recordLoginFailure(
      { failKey, now, windowMs: rateLimits.loginAccount.window * 1000 },
      { event: 'login.failure', at: now, userId: user?.id ?? null, ...info },
    )
    throw new RotorError('INVALID_CREDENTIALS', 'Email or password is incorrect')
  }
  // A foreign or outdated hash is replaced by the caller's next write (the session's batch).
  const upgradedHash =
    upgrade && needsRehash(user.passwordHash) ? await hashPassword(input.password) : undefined
  return { user, clearRateLimitKeys: [attemptKey, failKey], upgradedHash, secondFactor }
}
