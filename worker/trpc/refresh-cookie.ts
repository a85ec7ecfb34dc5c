import { generateCookie } from 'hono/cookie'
import { RotorError } from '../../contract/index.ts'
import { confusableName, parseCookieHeader } from './cookie-header.ts'
import type { RefreshTokenDelivery } from '../tokens/refresh-token.ts'

/**
 * Browsers get the refresh token in this cookie: HttpOnly (no script reads it), Secure (localhost
 * counts as secure), SameSite=Strict, and sent only to `/trpc`, where refresh and sign-out live.
 */
export const REFRESH_COOKIE = '__Secure-rotor-refresh'
export const REFRESH_COOKIE_PATH = '/trpc'

/**
 * The refresh token from the cookie header, read in one pass. Two cookies that some parser could
 * take for the refresh cookie (the same name, or one differing in case, whitespace, encoding or
 * prefix) mean one was planted: a sibling subdomain can set a `__Secure-` cookie, and only
 * `__Host-` would stop it, which needs `Path=/`. Such a request is refused whole with
 * `CREDENTIALS_CONFLICT`, whichever cookie comes first.
 */
export function readRefreshCookie(headers: Headers): string | undefined {
  const header = headers.get('cookie')
  if (!header || header.length > 8192) return undefined
  const pairs = parseCookieHeader(header)
  const candidates = pairs.filter((pair) => confusableName(pair.name) === CONFUSABLE_NAME)
  if (candidates.length > 1) {
    throw new RotorError(
      'CREDENTIALS_CONFLICT',
      'The refresh cookie was sent more than once (another site may have planted one); neither is used. Clear this site’s cookies and sign in again',
    )
  }
  return candidates.find((pair) => pair.name === REFRESH_COOKIE)?.value
}

const CONFUSABLE_NAME = confusableName(REFRESH_COOKIE)

/**
 * The refresh token a call presents and the channel it came by. One credential per request: a
 * cookie and a body token that differ are refused with `CREDENTIALS_CONFLICT`; the same token in
 * both is the cookie's. Without a body token the cookie is the only place left (`cookie`, with or
 * without a token).
 */
export function presentedRefreshToken(
  headers: Headers,
  fromBody: string | undefined,
): { token: string | undefined; channel: RefreshTokenDelivery } {
  const fromCookie = readRefreshCookie(headers)
  if (fromBody === undefined) return { token: fromCookie, channel: 'cookie' }
  if (fromCookie === undefined) return { token: fromBody, channel: 'body' }
  if (fromCookie !== fromBody) {
    throw new RotorError(
      'CREDENTIALS_CONFLICT',
      'Send the refresh token in the cookie or in the body, not two different ones',
    )
  }
  return { token: fromCookie, channel: 'cookie' }
}

/** `Set-Cookie` value carrying `token` until `expiresAt` (epoch seconds). */
export function refreshCookie(token: string, expiresAt: number, nowSeconds: number): string {
  return generateCookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: REFRESH_COOKIE_PATH,
    maxAge: Math.max(0, expiresAt - nowSeconds),
  })
}

export function clearedRefreshCookie(): string {
  return generateCookie(REFRESH_COOKIE, '', {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: REFRESH_COOKIE_PATH,
    maxAge: 0,
  })
}
