import { AMR, RotorError } from '../../contract/index.ts'
import { ipLimitKey } from '../guard/ip-key.ts'
import { enforceLimit } from '../guard/rate-limited.ts'
import { NO_PASSWORD } from '../passwords/hash-format.ts'
import { chooseClientId } from '../sessions/client-id.ts'
import { signInFacts, startSignIn } from '../mfa/sign-in.ts'
import { verifyIdToken } from './verify-id-token.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'
import type { TokenPair } from '../sessions/token-pair.ts'
import type { Identity, UserRecord } from '../store/session-store.ts'
import type { RefreshTokenDelivery } from '../tokens/refresh-token.ts'
import type { VerifiedIdToken } from './verify-id-token.ts'

export type IdTokenSignInInput = {
  idToken: string
  /** The nonce the client sent in its authentication request; the token must carry it. */
  nonce?: string | undefined
  deviceName?: string | undefined
  /** One of `CLIENT_IDS` (`INVALID_INPUT` otherwise); the default when absent. */
  clientId?: string | undefined
  delivery: RefreshTokenDelivery
  /**
   * For a user with a second factor whose provider did not say `mfa`: answer `MFA_REQUIRED` with
   * a challenge (tRPC), or without one (`refuse`: the OAuth token exchange cannot carry it).
   */
  secondStep?: 'challenge' | 'refuse'
}

/**
 * Starts a session for a user another system authenticated, on the strength of an ID token of a
 * configured OpenID provider (`auth.signInWithIdToken` and the RFC 8693 token exchange). The
 * user is the one linked to the provider's `sub`; when none is and the provider may create
 * users, one is created with the token's verified email and linked in the same batch. A user
 * who already has that email but is not linked is never linked by it (`IDENTITY_EMAIL_TAKEN`):
 * whoever controls an account at the provider would otherwise take over the Rotor account.
 */
export async function signInWithIdToken(
  issuer: Issuer,
  input: IdTokenSignInInput,
  info: RequestInfo,
): Promise<TokenPair & { refreshToken: string }> {
  const { loginIp, exchangeUser } = issuer.config.rateLimits
  const clientId = chooseClientId(issuer.config, input.clientId)
  // Counted before any signature check or key fetch: forged tokens spend the caller's budget.
  await enforceLimit(issuer, ipLimitKey('id-token', info.ip), loginIp)
  const verified = await verifyIdToken(issuer, input.idToken, input.nonce)
  const identity = { provider: verified.provider.issuer, subject: verified.claims.subject }
  const user = await linkedUser(issuer, verified, identity, info)
  // Each token mints a session until it expires: a leaked one must not mint them without end.
  await enforceLimit(issuer, `id-token-user:${user.id}`, exchangeUser)
  // The provider's own methods are carried as it sent them; a user with a second factor here
  // answers it unless the provider says it already checked more than one (README: Second factor).
  const { amr } = verified.claims
  const facts = amr.includes(AMR.multiFactor)
    ? { secondFactor: false, credentialsChangedAt: undefined }
    : await signInFacts(issuer, user.id)
  if (facts.secondFactor && input.secondStep === 'refuse') {
    throw new RotorError(
      'MFA_REQUIRED',
      'This user has a second factor: sign in with auth.signInWithIdToken, which answers with a challenge',
    )
  }
  return startSignIn(issuer, {
    user: { ...user, credentialsChangedAt: facts.credentialsChangedAt },
    deviceName: input.deviceName,
    clientId,
    info,
    event: 'login.success',
    auditDetail: `id-token ${identity.provider}`.slice(0, 200),
    delivery: input.delivery,
    amr,
    secondFactor: facts.secondFactor,
  })
}

async function linkedUser(
  issuer: Issuer,
  verified: VerifiedIdToken,
  identity: Identity,
  info: RequestInfo,
): Promise<UserRecord> {
  const linked = await issuer.store.findUserByIdentity(identity)
  if (linked) return linked
  const { provider, claims } = verified
  if (!provider.createUsers) {
    throw new RotorError(
      'IDENTITY_NOT_LINKED',
      'This account at the provider is not linked to a user here, and this provider may not create users',
    )
  }
  if (claims.verifiedEmail === undefined) {
    throw new RotorError(
      'IDENTITY_NOT_LINKED',
      'This account at the provider is not linked to a user here, and a user is created only from a verified email',
    )
  }
  const now = issuer.now()
  const user = { id: crypto.randomUUID(), email: claims.verifiedEmail, passwordHash: NO_PASSWORD }
  let result: 'created' | 'email-taken'
  try {
    result = await issuer.store.createUserWithIdentity(
      { ...user, emailVerified: true, createdAt: now },
      identity,
      { event: 'register', at: now, userId: user.id, ...info, detail: 'id-token' },
    )
  } catch (error) {
    // A racing first sign-in of the same subject linked it a moment ago: that user it is.
    const raced = await issuer.store.findUserByIdentity(identity)
    if (raced) return raced
    throw error
  }
  if (result === 'created') return user
  const raced = await issuer.store.findUserByIdentity(identity)
  if (raced) return raced
  throw new RotorError(
    'IDENTITY_EMAIL_TAKEN',
    'A user with this email exists but is not linked to this account at the provider; sign in as that user and link it, or ask an operator',
  )
}
