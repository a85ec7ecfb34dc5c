import { deflateSync } from 'node:zlib'
import { base64url } from 'jose'
import { revokedIndexList } from '../../contract/index.ts'

/** A list of revoked session indexes as the feed carries it. */
export type EncodedStatusList = {
  /** The bit list, DEFLATE in the ZLIB format, base64url: the feed's `status_list.lst`. */
  lst: string
  /** SHA-256 of the bit list itself (base64url), which the ETag is derived from. */
  digest: string
  /** Bytes of the bit list before compression: one per eight indexes up to the greatest. */
  listBytes: number
}

/**
 * Encodes the indexes as a one-bit Token Status List (draft-ietf-oauth-status-list §4.1). The
 * digest is over the bits, not the compressed bytes, so two isolates agree on it whatever their
 * deflate produced.
 *
 * Deflated by `node:zlib` in one synchronous call, in the format of the contract's `deflateList`
 * (a CompressionStream) and in about half its time (workerd, a million sessions: 4.6 against
 * 8.7 ms), with no stream object in a build that other requests wait for.
 */
export async function encodeStatusList(indexes: readonly number[]): Promise<EncodedStatusList> {
  const list = revokedIndexList(indexes)
  const compressed = deflateSync(list)
  const digest = await crypto.subtle.digest('SHA-256', list)
  return {
    lst: base64url.encode(compressed),
    digest: base64url.encode(new Uint8Array(digest)),
    listBytes: list.byteLength,
  }
}
