import { RotorError } from '../../contract/index.ts'
import { assertUnderLimit } from '../guard/rate-limited.ts'
import { MAX_CODE_ATTEMPTS, codeLimitKeys, hashCode, sameCodeHash } from './codes.ts'
import type { CodePurpose } from '../../contract/index.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'
import type { CodeOwner, CodeRecord } from '../store/recovery-store.ts'

/**
 * Checks a guess at the account's live code for `purpose`, after counting it against the IP, the
 * address (`limitEmail`) and the code itself, all in one round trip. Wrong, expired, used, voided
 * and other accounts' codes are one answer, `CODE_INVALID`; the last allowed wrong guess voids the
 * code. An account without a code costs the same HMAC. Returns the code row to consume.
 */
export async function checkCode(
  issuer: Issuer,
  input: {
    purpose: CodePurpose
    account: CodeOwner
    limitEmail: string
    code: string
    info: RequestInfo
  },
): Promise<CodeRecord> {
  const { rateLimits } = issuer.config
  const { purpose, code } = input
  const now = issuer.now()
  const keys = await codeLimitKeys('attempt', input.limitEmail, input.info.ip)
  const counted = await issuer.store.beginCodeAttempt({
    ...keys,
    ...input.account,
    purpose,
    now,
    ipWindowMs: rateLimits.codeAttemptIp.window * 1000,
    accountWindowMs: rateLimits.codeAttemptAccount.window * 1000,
  })
  assertUnderLimit(counted.ip, rateLimits.codeAttemptIp, now)
  assertUnderLimit(counted.account, rateLimits.codeAttemptAccount, now)
  const row = counted.code
  const target = row?.email ?? input.limitEmail
  const guessed = await hashCode(issuer.codeSecret, { purpose, target, code })
  const matches = sameCodeHash(guessed, row?.codeHash ?? '')
  if (
    row &&
    matches &&
    row.expiresAt > now &&
    row.attempts <= MAX_CODE_ATTEMPTS &&
    (purpose === 'email-change' || row.email === row.userEmail)
  ) {
    return row
  }
  if (row && row.attempts >= MAX_CODE_ATTEMPTS) {
    await issuer.store.deleteCode({ userId: row.userId, purpose, codeHash: row.codeHash })
  }
  throw new RotorError('CODE_INVALID', 'That code is wrong or no longer valid; ask for a new one')
}
