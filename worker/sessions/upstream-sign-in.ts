import { RotorError } from '../../contract/index.ts'
import { NO_PASSWORD } from '../passwords/hash-format.ts'
import { DECOY_HASH, hashPassword, verifyPassword } from '../passwords/password-hash.ts'
import { askUpstream } from '../upstream/ask-upstream.ts'
import type { Issuer } from '../issuer.ts'
import type { MigrateUserOutcome, UserRecord } from '../store/session-store.ts'
import type { UpstreamUser } from '../upstream/ask-upstream.ts'
import type { RequestInfo } from './request-info.ts'

export type UpstreamAttempt = {
  /** Normalised. */
  email: string
  password: string
  /** The user with that email, if any (from `beginLogin`). */
  user: UserRecord | undefined
  /** The account's failure counter, hit when the upstream says the password is wrong. */
  failKey: string
}

/** Seconds a client is told to wait after `UPSTREAM_UNAVAILABLE`. */
const RETRY_AFTER = 5

/**
 * Lazy migration (README, "Lazy migration"): called by sign-in, after the rate limits, for an email
 * Rotor has no password for — no user, or one imported without a password — when an upstream is
 * configured. Returns the user once the upstream vouched for the password and the user now has
 * Rotor's own hash (the upstream is never asked about them again); `undefined` when there is
 * nothing to ask. A wrong password counts as a failed sign-in and gets the unknown account's
 * answer; a silent or garbled upstream is `UPSTREAM_UNAVAILABLE` with nothing written.
 */
export async function signInFromUpstream(
  issuer: Issuer,
  attempt: UpstreamAttempt,
  info: RequestInfo,
): Promise<UserRecord | undefined> {
  const { upstream } = issuer
  const { user } = attempt
  if (!upstream || (user !== undefined && user.passwordHash !== NO_PASSWORD)) return undefined
  const verdict = await askUpstream(upstream, attempt)
  if (verdict.kind === 'unavailable') {
    log(issuer, 'upstream password service unavailable', { why: verdict.why }, info)
    throw new RotorError('UPSTREAM_UNAVAILABLE', 'Sign-in is unavailable; try again shortly', {
      retryAfter: RETRY_AFTER,
    })
  }
  if (verdict.kind === 'refused') {
    // The same work as a migrated user's wrong password: one full hash, one failure counted.
    await verifyPassword(attempt.password, DECOY_HASH)
    const { now, config } = issuer
    await issuer.store.recordLoginFailure(
      {
        failKey: attempt.failKey,
        now: now(),
        windowMs: config.rateLimits.loginAccount.window * 1000,
      },
      { event: 'login.failure', at: now(), userId: user?.id ?? null, detail: 'upstream', ...info },
    )
    throw invalidCredentials()
  }
  if (user !== undefined && user.id !== verdict.user.id) {
    await refuse(issuer, 'id-mismatch', user.id, verdict.user, info)
  }
  return migrate(issuer, { attempt, vouched: verdict.user }, info)
}

async function migrate(
  issuer: Issuer,
  { attempt, vouched }: { attempt: UpstreamAttempt; vouched: UpstreamUser },
  info: RequestInfo,
): Promise<UserRecord> {
  const now = issuer.now()
  const passwordHash = await hashPassword(attempt.password)
  const fill = attempt.user !== undefined
  const outcome: MigrateUserOutcome = await issuer.store.migrateUser({
    user: {
      id: vouched.id,
      email: vouched.email,
      passwordHash,
      emailVerified: vouched.emailVerified,
      createdAt: now,
    },
    fill,
    audit: {
      event: 'user.migrated',
      at: now,
      userId: vouched.id,
      detail: fill ? 'filled' : 'created',
      ...info,
    },
  })
  if (outcome === 'id-taken' || outcome === 'email-taken') {
    await refuse(issuer, outcome, null, vouched, info)
  }
  return { id: vouched.id, email: vouched.email, passwordHash }
}

/**
 * The upstream's id cannot be this email's user in Rotor: another user has it, or this email's
 * user has another. An operator fixes the data; the caller gets the unknown account's answer.
 */
async function refuse(
  issuer: Issuer,
  why: 'id-mismatch' | 'id-taken' | 'email-taken',
  userId: string | null,
  vouched: UpstreamUser,
  info: RequestInfo,
): Promise<never> {
  const at = issuer.now()
  await issuer.store.recordAudit({
    event: 'user.migration-refused',
    at,
    userId,
    detail: why,
    ...info,
  })
  log(issuer, 'lazy migration refused', { why, upstreamId: vouched.id, userId }, info)
  throw invalidCredentials()
}

function invalidCredentials(): RotorError {
  return new RotorError('INVALID_CREDENTIALS', 'Email or password is incorrect')
}

/** One line for the operator: never the email, the password or the upstream's body. */
function log(issuer: Issuer, msg: string, fields: Record<string, unknown>, info: RequestInfo) {
  const source = issuer.upstream?.source
  console.error(
    JSON.stringify({ level: 'error', msg, ...fields, source, requestId: info.requestId }),
  )
}
