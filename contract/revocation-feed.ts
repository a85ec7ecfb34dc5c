/**
 * The revocation feed (README: Revocation feed): the sessions whose access tokens may still verify
 * but that were revoked, as an IETF OAuth Token Status List (draft-ietf-oauth-status-list): a
 * `statuslist+jwt` signed with the issuer's key ring, whose `status_list.lst` is a bit per session
 * index (1 = revoked), DEFLATE-compressed in the ZLIB format, base64url. Every access token names
 * its index in its `status` claim. One fact each, shared by the issuer, the verifier and tests.
 */

import { readBounded } from './bounded-read.ts'

/** The feed JWT's `typ` (draft-ietf-oauth-status-list §5.1). */
export const REVOCATION_FEED_TYP = 'statuslist+jwt'

/** The feed's media type, sent as `Accept` and answered as `Content-Type`. */
export const REVOCATION_FEED_MEDIA_TYPE = 'application/statuslist+jwt'

/** Bits per session in the list: 0 valid, 1 revoked (the draft's VALID and INVALID). */
export const REVOCATION_FEED_BITS = 1

/** A feed body larger than this (the compact JWT) is refused unread past it. */
export const MAX_REVOCATION_FEED_BYTES = 1_048_576

/** The most bytes a feed's list may inflate to: 2^27 session indexes. Past it, a bomb. */
export const MAX_REVOCATION_LIST_BYTES = 16_777_216

/** The `status` claim of an access token (draft-ietf-oauth-status-list §6.1). */
export type TokenStatusClaim = { status_list: { idx: number; uri: string } }

/** The feed JWT's claims. Times in epoch seconds. */
export type RevocationFeedClaims = {
  iss: string
  /** The feed's own URL, as access tokens name it in `status.status_list.uri`. */
  sub: string
  iat: number
  exp: number
  /** Seconds a verifier may keep this feed before fetching again (the draft's `ttl`). */
  ttl: number
  /**
   * Rotor's sequence number: moves on with every revocation, never back. A verifier refuses a
   * feed with a lower `seq` than one it holds, or the same `seq` issued earlier (a replay).
   */
  seq: number
  status_list: { bits: typeof REVOCATION_FEED_BITS; lst: string }
}

/** Whether the session at `idx` is revoked in an inflated list; past its end, never listed. */
export function isIndexRevoked(list: Uint8Array, idx: number): boolean {
  const byte = list[idx >>> 3]
  return byte !== undefined && (byte & (1 << (idx & 7))) !== 0
}

/**
 * The list with a bit set for each index: bit `idx % 8` (least significant first) of byte `idx / 8`;
 * empty when no index is given.
 */
export function revokedIndexList(indexes: Iterable<number>): Uint8Array {
  let greatest = -1
  for (const idx of indexes) greatest = Math.max(greatest, idx)
  // `>>>` of -1 is 2^32 - 1: without this, no index would ask for a 512 MiB list.
  const list = new Uint8Array(greatest < 0 ? 0 : (greatest >>> 3) + 1)
  for (const idx of indexes) list[idx >>> 3]! |= 1 << (idx & 7)
  return list
}

/** DEFLATE in the ZLIB format (RFC 1950), as the draft asks; the platform's own stream. */
export async function deflateList(list: Uint8Array): Promise<Uint8Array> {
  const compressed = await readBounded(
    new Response(list).body!.pipeThrough(new CompressionStream('deflate')),
    Infinity,
  )
  return compressed!
}

/**
 * The inflated list, or `undefined` when it is not ZLIB data or would inflate past
 * `MAX_REVOCATION_LIST_BYTES` (read in chunks and stopped there, never inflated whole).
 */
export async function inflateList(compressed: Uint8Array): Promise<Uint8Array | undefined> {
  try {
    return await readBounded(
      new Response(compressed).body!.pipeThrough(new DecompressionStream('deflate')),
      MAX_REVOCATION_LIST_BYTES,
    )
  } catch {
    return undefined
  }
}
