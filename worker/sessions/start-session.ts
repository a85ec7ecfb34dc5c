import { RotorError, acrOf } from '../../contract/index.ts'
import { generateRefreshToken, hashRefreshToken } from '../tokens/refresh-token.ts'
import { issueTokenPair } from './token-pair.ts'
import type { Issuer } from '../issuer.ts'
import type { AuditEvent, NewSession } from '../store/session-store.ts'
import type { RefreshTokenDelivery } from '../tokens/refresh-token.ts'
import type { RequestInfo } from './request-info.ts'
import type { TokenPair } from './token-pair.ts'

export type StartSessionInput = {
  /** With `credentialsChangedAt` as the password check read it, a racing reset voids the session. */
  user: {
    id: string
    email: string
    emailVerified?: boolean | number
    credentialsChangedAt?: number | null
  }
  deviceName?: string | undefined
  /** A client of `CLIENT_IDS`, already checked (`chooseClientId`). */
  clientId: string
  info: RequestInfo
  event: AuditEvent
  /** The audit row's `detail`: how the user was authenticated, when not by password. */
  auditDetail?: string | undefined
  /** How the refresh token travels, named in the token itself. */
  delivery: RefreshTokenDelivery
  /** Rate-limit counters a successful sign-in resets (the account's failures). */
  clearRateLimitKeys?: readonly string[]
  /** Rotor's hash of the password just checked, replacing the stored one in the same batch. */
  passwordHash?: string | undefined
  /**
   * How the user was authenticated (RFC 8176), carried in every access token of the session with
   * the `acr` it gives; empty where the method cannot be told (README: Second factor).
   */
  amr: readonly string[]
}

/** A new refresh-token family: the session row, its first token and the first access token. */
export async function startSession(
  issuer: Issuer,
  input: StartSessionInput,
): Promise<TokenPair & { refreshToken: string }> {
  const { config } = issuer
  const now = issuer.now()
  const absoluteExpiresAt = now + config.sessionMaxAge * 1000
  const session: NewSession = {
    id: crypto.randomUUID(),
    userId: input.user.id,
    deviceName: input.deviceName ?? null,
    clientId: input.clientId,
    userAgent: input.info.userAgent,
    country: input.info.country,
    createdAt: now,
    lastUsedAt: now,
    idleExpiresAt: Math.min(now + config.refreshIdleTtl * 1000, absoluteExpiresAt),
    absoluteExpiresAt,
    amr: input.amr.length > 0 ? JSON.stringify(input.amr) : null,
    acr: acrOf(input.amr),
    authTime: now,
  }
  const refreshToken = generateRefreshToken(input.delivery)
  const created = await issuer.store.createSession(
    session,
    await hashRefreshToken(refreshToken),
    {
      event: input.event,
      at: now,
      userId: input.user.id,
      sessionId: session.id,
      ...input.info,
      detail: input.auditDetail,
    },
    input.clearRateLimitKeys,
    input.passwordHash,
    input.user.credentialsChangedAt,
  )
  // The password checked was replaced (a reset) or every session ended while this one started.
  if (created === 'stale') {
    throw new RotorError('INVALID_CREDENTIALS', 'Your credentials changed; sign in again')
  }
  return issueTokenPair(
    issuer,
    {
      ...session,
      statusIdx: created.statusIdx,
      revokedAt: null,
      flaggedAt: null,
      flagReason: null,
    },
    input.user,
    refreshToken,
  )
}
