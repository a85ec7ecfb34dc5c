import { env } from 'cloudflare:workers'
import { base64url, createLocalJWKSet, decodeJwt, jwtVerify } from 'jose'
import {
  REVOCATION_FEED_TYP,
  ROUTES,
  SIGNING_ALGS,
  inflateList,
  isIndexRevoked,
  issuerUrl,
} from '../../../contract/index.ts'
import type { AccessTokenClaims, RevocationFeedClaims } from '../../../contract/index.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

/** The feed URL the test issuer's tokens name. */
export const feedUrl = (t: TestIssuer) => issuerUrl(t.issuer.config.issuer, ROUTES.revocationFeed)

/**
 * The feed as a verifier reads it: fetched from the test issuer's app, verified against its JWKS
 * with `typ`, `iss` and `sub` pinned, and its list inflated.
 */
export async function readFeed(t: TestIssuer, init?: RequestInit) {
  const response = await t.request(ROUTES.revocationFeed, init)
  const jwt = await bodyOf(response)
  const keys = createLocalJWKSet({ keys: t.issuer.keys.keys.map((key) => key.publicJwk) })
  const { payload, protectedHeader } = await jwtVerify<RevocationFeedClaims>(jwt, keys, {
    typ: REVOCATION_FEED_TYP,
    algorithms: [...SIGNING_ALGS],
    issuer: t.issuer.config.issuer,
    subject: feedUrl(t),
    currentDate: new Date(t.issuer.now()),
  })
  const list = await inflateList(base64url.decode(payload.status_list.lst))
  if (!list) throw new Error('the feed list does not inflate')
  return {
    response,
    jwt,
    claims: payload,
    header: protectedHeader,
    list,
    revoked: (idx: number) => isIndexRevoked(list, idx),
  }
}

/** The `status` claim's index in an access token. */
export function statusIdxOf(accessToken: string): number {
  const { status } = decodeJwt<AccessTokenClaims>(accessToken)
  if (!status) throw new Error('the access token has no status claim')
  return status.status_list.idx
}

/** A session's feed index as stored. */
export async function storedIdx(sessionId: string): Promise<number | null> {
  const row = await env.DB.prepare('SELECT status_idx FROM sessions WHERE id = ?')
    .bind(sessionId)
    .first<{ status_idx: number | null }>()
  if (!row) throw new Error(`no session ${sessionId}`)
  return row.status_idx
}

/** A feed body as text: workerd warns when `.text()` meets a media type it does not know as text. */
export async function bodyOf(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer())
}
