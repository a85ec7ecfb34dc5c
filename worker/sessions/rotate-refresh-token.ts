import { RotorError } from '../../contract/index.ts'
import {
  fitsChannel,
  generateRefreshToken,
  hashRefreshToken,
  isRefreshTokenShape,
} from '../tokens/refresh-token.ts'
import { openSuccessor, sealSuccessor } from '../tokens/successor-box.ts'
import { ipLimitKey } from '../guard/ip-key.ts'
import { assertUnderLimit } from '../guard/rate-limited.ts'
import { applyAnomalyPolicy } from './anomaly-policy.ts'
import { revokeSessions } from './revoke-sessions.ts'
import { wrongChannel } from './token-session.ts'
import { assertSessionLive } from './session-state.ts'
import { issueTokenPair } from './token-pair.ts'
import type { Issuer } from '../issuer.ts'
import type { RotationRecord } from '../store/session-store.ts'
import type { RefreshTokenDelivery } from '../tokens/refresh-token.ts'
import type { RequestInfo } from './request-info.ts'
import type { TokenPair } from './token-pair.ts'

/**
 * Trades a refresh token for a new pair (DESIGN §3). The winner of the compare-and-set gets a new
 * successor; the immediate parent presented again within `REFRESH_REUSE_GRACE` of its rotation
 * gets the same successor back; any other used token revokes the whole family. `channel` is how
 * the token came and how its successor goes; a token issued for the other channel is refused
 * before any lookup.
 */
export async function rotateRefreshToken(
  issuer: Issuer,
  presented: unknown,
  info: RequestInfo,
  channel: RefreshTokenDelivery,
): Promise<TokenPair & { refreshToken: string }> {
  if (!isRefreshTokenShape(presented)) {
    throw new RotorError('REFRESH_TOKEN_INVALID', 'Refresh token is not valid')
  }
  if (!fitsChannel(presented, channel)) throw wrongChannel(channel)
  const now = issuer.now()
  const { refreshSession, refreshIp } = issuer.config.rateLimits
  const successor = generateRefreshToken(channel)
  const [tokenHash, successorHash, successorBox] = await Promise.all([
    hashRefreshToken(presented),
    hashRefreshToken(successor),
    sealSuccessor(presented, successor),
  ])
  const record = await issuer.store.rotate({
    tokenHash,
    successorHash,
    successorBox,
    now,
    idleTtlMs: issuer.config.refreshIdleTtl * 1000,
    refreshLimit: { limit: refreshSession.limit, windowMs: refreshSession.window * 1000 },
    unknownTokenLimit: { key: ipLimitKey('refresh', info.ip), windowMs: refreshIp.window * 1000 },
    audit: { event: 'refresh', at: now, ...info },
  })
  if ('unknownTokens' in record) {
    // Known tokens are judged by their session's limit: a neighbour behind the same address
    // cannot stall anyone's refreshes by sending made-up tokens.
    assertUnderLimit(record.unknownTokens, refreshIp, now)
    throw new RotorError('REFRESH_TOKEN_INVALID', 'Refresh token is not valid')
  }
  const { userId: id, email, emailVerified } = record.session
  const user = { id, email, emailVerified }
  if (record.won) {
    await applyAnomalyPolicy(issuer, record.session, info, now)
    return issueTokenPair(issuer, record.session, user, successor)
  }

  assertSessionLive(record.session, now)
  if (record.usedAt === null) {
    // Unused yet not rotated: over the session's limit, or the session died between checks.
    assertUnderLimit(record.refreshes, refreshSession, now)
    throw new RotorError('SESSION_EXPIRED', 'This session has expired; sign in again')
  }
  // Reuse is judged before the limit: a thief must not be able to hide it behind a 429.
  const graceSuccessor = await successorWithinGrace(issuer, record, presented, now)
  if (graceSuccessor !== undefined) {
    assertUnderLimit(record.refreshes, refreshSession, now)
    await applyAnomalyPolicy(issuer, record.session, info, now)
    return issueTokenPair(issuer, record.session, user, graceSuccessor)
  }

  await revokeSessions(issuer, { reason: 'reuse', sessionId: record.session.id }, info)
  throw new RotorError(
    'REFRESH_TOKEN_REUSED',
    'Refresh token was already used; the session is signed out',
  )
}

/** Only the immediate parent of the live token, and only for the window after its rotation. */
async function successorWithinGrace(
  issuer: Issuer,
  record: RotationRecord,
  presented: string,
  now: number,
): Promise<string | undefined> {
  const graceMs = issuer.config.refreshReuseGrace * 1000
  if (record.usedAt === null || record.successorBox === null || !record.successorUnused)
    return undefined
  if (now - record.usedAt > graceMs) return undefined
  return openSuccessor(presented, record.successorBox)
}
