import type { CodePurpose } from '../../contract/index.ts'
import type { mailOutbox } from '../../db/schema.ts'
import type { AuditInput, Counter, UserRecord } from './session-store.ts'

/**
 * Storage for one-time codes and the development outbox (README: Recovery and verification). Each
 * method is one D1 round trip; every consume is conditional on the code row, so of two racing
 * calls with the right code only one changes anything.
 */
export type RecoveryStore = {
  /** A code request's counters (its IP's and its address's) hit, and the address's user read. */
  beginCodeRequest(input: CodeCounters & { email: string }): Promise<CodeRequestRecord>
  /**
   * Stores the code of `account` (by its address or id) for `purpose`, replacing any earlier one,
   * with the audit row; writes nothing, in the same statements, when no such user exists (or for
   * `verify`, when the address is already verified) — so both cases cost the same.
   */
  saveCode(input: SaveCodeInput): Promise<void>
  /** Deletes the user's code for `purpose` if it is still this one (a send that failed). */
  deleteCode(input: { userId: string; purpose: CodePurpose; codeHash: string }): Promise<void>
  /** A guess's counters hit and the guessed code's attempts counted, returning the code row. */
  beginCodeAttempt(
    input: CodeCounters & CodeOwner & { purpose: CodePurpose },
  ): Promise<CodeAttemptRecord>
  /**
   * A reset: the code consumed, the new hash, credentials changed (legacy tokens refused), every
   * session revoked, counters cleared and the audit row — only if the code is still there.
   */
  consumeReset(
    input: ConsumeInput & { passwordHash: string; clearRateLimitKeys: readonly string[] },
  ): Promise<{ consumed: boolean; revoked: number }>
  /** Marks the address verified and consumes the code, only if it is still there. */
  consumeVerify(input: ConsumeInput): Promise<boolean>
  /** Moves the account to the code's address (verified), consuming every code of the user. */
  consumeEmailChange(input: ConsumeInput): Promise<'changed' | 'email-taken' | 'invalid'>
  /** Development outbox: one message. */
  recordOutbox(row: Omit<OutboxRecord, 'id'>): Promise<void>
  /** Development outbox: the newest messages to `to`, newest first. */
  listOutbox(to: string, limit: number): Promise<OutboxRecord[]>
  /** Deletes codes expired before `before` and outbox rows older than it, bounded. */
  purgeCodes(before: number, limit: number): Promise<number>
}

export type CodeCounters = {
  ipKey: string
  accountKey: string
  now: number
  ipWindowMs: number
  accountWindowMs: number
}
export type CodeRequestRecord = { ip: Counter; account: Counter; user: UserRecord | undefined }

/** Whose code: the account at an address (the public flows) or a signed-in user. */
export type CodeOwner = { email: string } | { userId: string }

export type SaveCodeInput = {
  account: CodeOwner
  purpose: CodePurpose
  codeHash: string
  /** Where the code goes: the account's address, or the new one for `email-change`. */
  target: string
  now: number
  expiresAt: number
  audit: AuditInput
}

export type CodeRecord = {
  userId: string
  /** The address the code was sent to. */
  email: string
  /** The account's address now. */
  userEmail: string
  codeHash: string
  expiresAt: number
  /** Guesses at this code, this one included. */
  attempts: number
}
export type CodeAttemptRecord = { ip: Counter; account: Counter; code: CodeRecord | undefined }

export type ConsumeInput = { userId: string; codeHash: string; now: number; audit: AuditInput }

export type OutboxRecord = typeof mailOutbox.$inferSelect
