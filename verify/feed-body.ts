import {
  MAX_REVOCATION_FEED_BYTES,
  REVOCATION_FEED_MEDIA_TYPE,
  readBounded,
} from '../contract/index.ts'
import { FeedRefused } from './feed-refused.ts'

/**
 * The feed's compact JWT from a 200: `Content-Type: application/statuslist+jwt` (the draft's
 * §8.1), at most `MAX_REVOCATION_FEED_BYTES` (a larger `Content-Length` is refused unread, a body
 * that grows past it is cancelled there), UTF-8. Throws `FeedRefused`.
 */
export async function readFeedBody(response: Response): Promise<string> {
  const type = response.headers.get('content-type')?.split(';')[0]!.trim().toLowerCase()
  if (type !== REVOCATION_FEED_MEDIA_TYPE) {
    await response.body?.cancel()
    throw new FeedRefused('malformed', `Content-Type ${type ?? 'missing'}`)
  }
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (declared > MAX_REVOCATION_FEED_BYTES) {
    await response.body?.cancel()
    throw new FeedRefused('too-large', `Content-Length ${declared}`)
  }
  if (!response.body) throw new FeedRefused('malformed', 'no body')
  let bytes: Uint8Array | undefined
  try {
    bytes = await readBounded(response.body, MAX_REVOCATION_FEED_BYTES)
  } catch (error) {
    throw new FeedRefused('unreachable', `body: ${String(error)}`, error)
  }
  if (bytes === undefined) {
    throw new FeedRefused('too-large', `body over ${MAX_REVOCATION_FEED_BYTES} bytes`)
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch (error) {
    throw new FeedRefused('malformed', 'the body is not UTF-8', error)
  }
}
