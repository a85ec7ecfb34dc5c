import { base64url } from 'jose'

/** How a refresh token travels: the HttpOnly cookie, or request and response bodies. */
export type RefreshTokenDelivery = 'cookie' | 'body'

/** 256 random bits: a refresh token is opaque and only its SHA-256 is ever stored. */
const TOKEN_BYTES = 32
// A first character names the channel the token was issued for (`c` cookie, `b` body). It is part
// of the hashed value, so it cannot be changed without making the token unknown. Tokens issued
// before it (the bare 43 characters) are accepted on either channel until they rotate.
const MARK = { cookie: 'c', body: 'b' } as const
const TOKEN_PATTERN = /^([bc])?[A-Za-z0-9_-]{43}$/

export function generateRefreshToken(delivery: RefreshTokenDelivery): string {
  const secret = base64url.encode(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)))
  return `${MARK[delivery]}${secret}`
}

/** Shape check before any lookup, so hostile input never reaches the database or crypto. */
export function isRefreshTokenShape(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value)
}

/**
 * Whether a token of the right shape may be presented over `channel`: a cookie session's token
 * only in the cookie, where the origin check of cookie calls applies, and a body token only in a
 * body.
 */
export function fitsChannel(token: string, channel: RefreshTokenDelivery): boolean {
  const mark = TOKEN_PATTERN.exec(token)?.[1]
  return mark === undefined || mark === MARK[channel]
}

/**
 * The row key for a token. Looking a row up by the hash of a 256-bit secret leaks nothing through
 * timing: learning the hash does not help forge a token that hashes to it.
 */
export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return base64url.encode(new Uint8Array(digest))
}
