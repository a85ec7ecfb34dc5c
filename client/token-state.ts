import { decodeJwt } from 'jose'
import type { SessionAssurance, SessionSnapshot, TokenPair } from './types.ts'

/** The access token this client holds, with the timing it was issued with (server seconds). */
export type AccessTokenRecord = Omit<SessionSnapshot, 'assurance'> & {
  accessToken: string
  /** The token's `iat`, or the moment it arrived when the token is not a readable JWT. */
  issuedAt: number
  /** When a call first refreshes: `refreshMargin` before expiry, at most half the lifetime. */
  refreshAt: number
  /** It arrived already past `refreshAt` (a lifetime capped by the session's end): no early refresh. */
  dueOnArrival: boolean
}

/** `unknown` until the client learns whether a cookie or a stored refresh token still works. */
export type TokenStatus = 'unknown' | 'signed-in' | 'signed-out'

export type TokenState = {
  status: TokenStatus
  record: AccessTokenRecord | undefined
}

/** Follows the session's current token: `watch` on each new one, `stop` when the session ends. */
export type SessionWatcher = {
  /** Watches the session `record` belongs to; replaces any earlier watch. */
  watch(record: AccessTokenRecord): void
  stop(): void
}

/**
 * The timing of a new pair, from its access token's `iat` (`claimsOf`; now when it has none).
 */
export function toAccessTokenRecord(
  pair: TokenPair,
  tokenIssuedAt: number | undefined,
  serverNowMs: number,
  refreshMarginSeconds: number,
): AccessTokenRecord {
  const issuedAt = tokenIssuedAt ?? Math.floor(serverNowMs / 1000)
  const lifetime = Math.max(0, pair.accessTokenExpiresAt - issuedAt)
  // Half the lifetime at most, so a short-lived token is not due the moment it arrives.
  const refreshAt = pair.accessTokenExpiresAt - Math.min(refreshMarginSeconds, lifetime / 2)
  return {
    accessToken: pair.accessToken,
    accessTokenExpiresAt: pair.accessTokenExpiresAt,
    refreshTokenExpiresAt: pair.refreshTokenExpiresAt,
    sessionId: pair.sessionId,
    user: { id: pair.user.id, email: pair.user.email },
    issuedAt,
    refreshAt,
    dueOnArrival: serverNowMs >= refreshAt * 1000,
  }
}

/** Whether a call must refresh before it goes out. Never true twice for one fresh arrival. */
export function needsRefresh(record: AccessTokenRecord, serverNowMs: number): boolean {
  if (isExpired(record, serverNowMs)) return true
  return !record.dueOnArrival && serverNowMs >= record.refreshAt * 1000
}

export function isExpired(record: AccessTokenRecord, serverNowMs: number): boolean {
  return serverNowMs >= record.accessTokenExpiresAt * 1000
}

/**
 * The public view of a record: everything but the token, and how the user signed in, read from
 * the token itself (so a record from another tab or an older page's code says it too).
 */
export function toSnapshot(record: AccessTokenRecord): SessionSnapshot {
  const { user, sessionId, accessTokenExpiresAt, refreshTokenExpiresAt } = record
  const assurance = assuranceOf(record.accessToken)
  return { user, sessionId, accessTokenExpiresAt, refreshTokenExpiresAt, assurance }
}

/**
 * What the client reads from an access token: its session id (to tell a stale call's failure
 * from the current one's) and `iat` in epoch seconds (for timing). Decoded, never verified: the
 * client only schedules by it, and the server verifies every use.
 */
export function claimsOf(token: string): { sessionId?: string; issuedAt?: number } {
  const { sid, iat } = decoded(token)
  return {
    ...(typeof sid === 'string' ? { sessionId: sid } : {}),
    ...(typeof iat === 'number' && Number.isFinite(iat) ? { issuedAt: iat } : {}),
  }
}

/** `amr`, `acr` and `auth_time` of an access token, as far as they are well formed. */
export function assuranceOf(token: string): SessionAssurance {
  const { amr, acr, auth_time } = decoded(token)
  return {
    amr: Array.isArray(amr) ? amr.filter((method) => typeof method === 'string') : [],
    ...(typeof acr === 'string' ? { acr } : {}),
    ...(Number.isInteger(auth_time) ? { authTime: auth_time as number } : {}),
  }
}

function decoded(token: string): Record<string, unknown> {
  try {
    return decodeJwt(token)
  } catch {
    return {}
  }
}
