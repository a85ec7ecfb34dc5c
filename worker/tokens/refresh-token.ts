import { base64url } from 'jose'

/** 256 random bits: a refresh token is opaque and only its SHA-256 is ever stored. */
const TOKEN_BYTES = 32
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

export function generateRefreshToken(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)))
}

/** Shape check before any lookup, so hostile input never reaches the database or crypto. */
export function isRefreshTokenShape(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value)
}

/**
 * The row key for a token. Looking a row up by the hash of a 256-bit secret leaks nothing through
 * timing: learning the hash does not help forge a token that hashes to it.
 */
export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return base64url.encode(new Uint8Array(digest))
}
