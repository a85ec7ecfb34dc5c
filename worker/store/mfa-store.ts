import type { mfaChallenges, mfaFactors } from '../../db/schema.ts'
import type { AuditInput, Counter } from './session-store.ts'

/**
 * Storage for the second factor (README: Second factor): TOTP factors, recovery codes and sign-in
 * challenges. Each method is one D1 round trip. Every claim of a code is a compare-and-set, so of
 * two calls presenting the same code (or the same challenge) at most one succeeds.
 */
export type MfaStore = {
  /**
   * The user's factor, confirmed or not, how many recovery codes are left, and the user's
   * `credentials_changed_at` (what a sign-in's second step is checked against).
   */
  readMfaStatus(userId: string): Promise<MfaStatusRecord>
  /**
   * Stores a new unconfirmed factor for the user, replacing an unconfirmed one, with its audit
   * row; writes nothing and answers `enrolled` when a confirmed factor exists.
   */
  savePendingFactor(input: {
    userId: string
    secretBox: string
    now: number
    clearRateLimitKeys: readonly string[]
    audit: AuditInput
  }): Promise<'saved' | 'enrolled'>
  /**
   * A sign-in's first step passed: the challenge row, the sign-in counters reset, the audit row
   * and, when given, the upgraded password hash (only if the credentials are still as seen).
   */
  createMfaChallenge(input: {
    challenge: NewMfaChallenge
    clearRateLimitKeys: readonly string[]
    passwordHash?: string | undefined
    audit: AuditInput
  }): Promise<void>
  /**
   * A guess's counters and what it is judged against, in one round trip: the IP's attempts and
   * the user's attempts hit, the user's failures read, and (for a challenge) its attempts counted;
   * then the challenge with its user, the factor and the recovery codes' hashes.
   */
  beginMfaAttempt(input: MfaAttemptInput): Promise<MfaAttemptRecord>
  /** A wrong code: the user's failure counter and the audit row; a spent challenge deleted. */
  recordMfaFailure(input: {
    failKey: string
    now: number
    windowMs: number
    dropChallengeHash?: string | undefined
    audit: AuditInput
  }): Promise<void>
  /**
   * Claims a right code: the factor's last used step moves on to `step` only if it is later, or
   * the recovery code's row is deleted (with an audit row naming how many are left); with a
   * challenge, only while it is live, and it is deleted with the claim. `claimed` is false when
   * another call got there first; nothing changed then.
   */
  claimMfaCode(input: {
    userId: string
    proof: { step: number } | { codeHash: string }
    challengeHash?: string | undefined
    now: number
    maxChallengeAttempts: number
    audit: AuditInput
  }): Promise<{ claimed: boolean; recoveryCodesLeft: number }>
  /**
   * Confirms the unconfirmed factor created at `factorCreatedAt` (and not since replaced) with the
   * step of its first code, stores the recovery codes, marks the credentials changed (legacy
   * tokens issued before, which know no second factor, are refused from now on), audits and
   * clears the counters; false when it was confirmed or replaced meanwhile (nothing written then).
   */
  confirmFactor(input: {
    userId: string
    factorCreatedAt: number
    step: number
    codeHashes: readonly string[]
    now: number
    clearRateLimitKeys: readonly string[]
    audit: AuditInput
  }): Promise<boolean>
  /** Voids every recovery code of the user and stores the new ones, with the audit row. */
  replaceRecoveryCodes(input: {
    userId: string
    codeHashes: readonly string[]
    now: number
    clearRateLimitKeys: readonly string[]
    audit: AuditInput
  }): Promise<void>
  /**
   * Removes the factor, its recovery codes and pending challenges, signs out every other session
   * of the user and refuses legacy tokens issued before, with the audit row. Returns how many
   * sessions ended.
   */
  disableFactor(input: {
    userId: string
    keepSessionId: string
    now: number
    clearRateLimitKeys: readonly string[]
    audit: AuditInput
  }): Promise<number>
  /**
   * A step-up: the factor's step claimed as in `claimMfaCode` (or a recovery code spent), and
   * only then the session's `amr`, `acr` and `auth_time` updated and the audit row written.
   */
  stepUpSession(input: {
    userId: string
    sessionId: string
    proof: { step: number } | { codeHash: string }
    amr: string
    acr: string
    now: number
    clearRateLimitKeys: readonly string[]
    audit: AuditInput
  }): Promise<{ claimed: boolean; recoveryCodesLeft: number }>
  /** Deletes up to `limit` challenges that expired before `before`. */
  purgeMfaChallenges(before: number, limit: number): Promise<number>
}

type FactorRow = typeof mfaFactors.$inferSelect
type ChallengeRow = typeof mfaChallenges.$inferSelect

export type MfaFactorRecord = Pick<
  FactorRow,
  'secretBox' | 'createdAt' | 'confirmedAt' | 'lastUsedStep'
>
export type MfaStatusRecord = {
  factor: Pick<FactorRow, 'createdAt' | 'confirmedAt'> | undefined
  recoveryCodesLeft: number
  credentialsChangedAt: number | null
}

export type NewMfaChallenge = Omit<ChallengeRow, 'attempts'>
/** A challenge with its user as the session's start needs it. */
export type MfaChallengeRecord = ChallengeRow & {
  email: string
  emailVerified: boolean
  credentialsChangedAt: number | null
}

export type MfaAttemptInput = {
  /** Whose factor: a signed-in user's, or the user a sign-in challenge (its hash) names. */
  subject: { userId: string } | { challengeHash: string }
  ipKey: string
  /** Counter keys are these prefixes followed by the user's id. */
  attemptPrefix: string
  failPrefix: string
  now: number
  ipWindowMs: number
  accountWindowMs: number
}
/** `attempt` and `failures` are undefined when the subject names no user (an unknown challenge). */
export type MfaAttemptRecord = {
  ip: Counter
  attempt: Counter | undefined
  failures: Counter | undefined
  challenge: MfaChallengeRecord | undefined
  factor: MfaFactorRecord | undefined
  recoveryCodeHashes: string[]
}
