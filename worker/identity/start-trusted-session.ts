import { RotorError } from '../../contract/index.ts'
import { enforceLimit } from '../guard/rate-limited.ts'
import { chooseClientId } from '../sessions/client-id.ts'
import { startSession } from '../sessions/start-session.ts'
import type { Issuer } from '../issuer.ts'
import type { TokenPair } from '../sessions/token-pair.ts'
import type { Identity, UserRecord } from '../store/session-store.ts'
import type { RefreshTokenDelivery } from '../tokens/refresh-token.ts'

/** Who the session is for: Rotor's user id (an imported user keeps its own), or a linked account. */
export type TrustedSubject = { userId: string } | { identity: Identity }

export type TrustedSessionInput = TrustedSubject & {
  deviceName?: string | undefined
  clientId?: string | undefined
  delivery: RefreshTokenDelivery
  /** Names the calling service in the audit row. */
  service: string
}

/**
 * A session for a user whom a trusted system in the same account has authenticated, through the
 * `SessionService` binding: no credential is checked here — the binding is the credential. The
 * user must exist (`USER_NOT_FOUND`); sessions minted per user are limited like legacy exchanges
 * (`RATE_LIMIT_EXCHANGE_USER`), so a caller stuck in a loop cannot fill the table.
 */
export async function startTrustedSession(
  issuer: Issuer,
  input: TrustedSessionInput,
): Promise<TokenPair & { refreshToken: string }> {
  const clientId = chooseClientId(issuer.config, input.clientId)
  const user = await findSubject(issuer, input)
  if (!user) {
    throw new RotorError('USER_NOT_FOUND', 'No user matches that userId or identity')
  }
  await enforceLimit(
    issuer,
    `session-service-user:${user.id}`,
    issuer.config.rateLimits.exchangeUser,
  )
  return startSession(issuer, {
    user,
    deviceName: input.deviceName,
    clientId,
    info: { ip: null, country: null, userAgent: null, requestId: crypto.randomUUID() },
    event: 'session.start',
    auditDetail: `service ${input.service}`.slice(0, 200),
    delivery: input.delivery,
    // The calling service vouches for the user and says nothing of how it authenticated them:
    // no `amr`, one-factor `acr`, and no second step here (README: Second factor).
    amr: [],
  })
}

function findSubject(issuer: Issuer, subject: TrustedSubject): Promise<UserRecord | undefined> {
  return 'userId' in subject
    ? issuer.store.findUserById(subject.userId)
    : issuer.store.findUserByIdentity(subject.identity)
}
