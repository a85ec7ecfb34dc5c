import { REVOCATION_FEED_MEDIA_TYPE } from '../../contract/index.ts'
import { FEED_MAX_AGE } from '../feed/revocation-feed.ts'
import type { Issuer } from '../issuer.ts'

/**
 * `GET /.well-known/status-list` (HEAD too): the revocation feed, a `statuslist+jwt`. Public and
 * cacheable for as long as an isolate keeps it; a verifier sending the ETag it holds gets 304 and
 * no body while the list, its sequence number and the re-sign interval stay the same.
 */
export async function revocationFeedResponse(issuer: Issuer, request: Request): Promise<Response> {
  const feed = await issuer.feed.current()
  const headers = { 'cache-control': `public, max-age=${FEED_MAX_AGE}`, etag: feed.etag }
  if (matchesAny(request.headers.get('if-none-match'), feed.etag)) {
    return new Response(null, { status: 304, headers })
  }
  return new Response(feed.jwt, {
    headers: { ...headers, 'content-type': REVOCATION_FEED_MEDIA_TYPE },
  })
}

/**
 * RFC 9110 §13.1.2: `*`, or a list of entity tags compared weakly (the `W/` prefix ignored). The
 * feed's own tags hold no comma or quote, so a split on commas never makes a match of a foreign tag.
 */
function matchesAny(header: string | null, etag: string): boolean {
  if (header === null) return false
  const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag)
  const ours = opaque(etag)
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || opaque(tag) === ours)
}
