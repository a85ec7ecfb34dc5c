import {
  APP_VERSION_HEADER,
  REASON_STATUS,
  ROUTES,
  RotorError,
  isRotorReason,
  issuerUrl,
} from '../contract/index.ts'
import type { RotorReason } from '../contract/index.ts'
import { askIssuer, issuerUnavailable } from './issuer-unavailable.ts'
import { fetchIssuer } from './remote-keys.ts'
import type { IssuerFetcher } from './remote-keys.ts'

/** What a resource server learns about the holder of a legacy token the issuer admitted. */
export type LegacyCallerClaims = {
  /** Marks a legacy caller: there is no session, `sid`, `jti` or `exp`. */
  legacy: true
  /** The Rotor user id. */
  sub: string
  email: string
}

export type LegacyCheck = {
  claims: LegacyCallerClaims
  /** `Deprecation` and `Sunset` (in warn), to pass on to the caller. */
  headers: [name: string, value: string][]
}

const PASSED_ON = ['deprecation', 'sunset']
const FORWARDED = ['user-agent', APP_VERSION_HEADER]

/**
 * Asks the issuer about a legacy token by calling `auth.me` with it, as the client would. The
 * issuer holds the phase, the legacy key and the users, and counts the use under the client's
 * own user agent and app version (forwarded here), so a phase change at the issuer reaches every
 * resource server with no deploy and the report sees their traffic too. One subrequest per legacy
 * request, whatever the verifier's mode: a token that never expires gets no stateless shortcut.
 */
export async function verifyLegacyAtIssuer(
  options: { issuer: string; via: IssuerFetcher | undefined },
  token: string,
  request: Headers,
): Promise<LegacyCheck> {
  const url = issuerUrl(options.issuer, `${ROUTES.trpc}/auth.me`)
  const headers = new Headers({ authorization: `Bearer ${token}` })
  for (const name of FORWARDED) {
    const value = request.get(name)
    if (value !== null) headers.set(name, value)
  }
  const init: RequestInit = { method: 'GET', headers }
  const send = () => fetchIssuer(options.via, url, init)
  const response = await askIssuer('legacy', send, (status) => status === 200 || status === 401)
  const body = (await response.json().catch(() => undefined)) as MeResponse | undefined
  if (response.status === 401) {
    throw new RotorError(knownReason(body?.error?.data?.reason), 'The legacy token was refused')
  }
  const user = body?.result?.data
  if (typeof user?.id !== 'string' || typeof user.email !== 'string') {
    throw issuerUnavailable('legacy', 'auth.me answered no user')
  }
  return {
    claims: { legacy: true, sub: user.id, email: user.email },
    headers: PASSED_ON.flatMap((name) => {
      const value = response.headers.get(name)
      return value === null ? [] : [[name, value] as [string, string]]
    }),
  }
}

type MeResponse = {
  result?: { data?: { id?: unknown; email?: unknown } }
  error?: { data?: { reason?: unknown } }
}

function knownReason(reason: unknown): RotorReason {
  return isRotorReason(reason) && REASON_STATUS[reason] === 401 ? reason : 'TOKEN_INVALID'
}
