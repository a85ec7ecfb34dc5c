import { generateCookie } from 'hono/cookie'
import { parse } from 'hono/utils/cookie'

/**
 * Browsers get the refresh token in this cookie: HttpOnly (no script reads it), Secure (localhost
 * counts as secure), SameSite=Strict, and sent only to `/trpc`, where refresh and sign-out live.
 */
export const REFRESH_COOKIE = '__Secure-rotor-refresh'
export const REFRESH_COOKIE_PATH = '/trpc'

/**
 * The refresh token from the cookie header. Two cookies of that name mean one was planted (a
 * sibling subdomain can set a `__Secure-` cookie; only `__Host-` would stop it, and that needs
 * `Path=/`): neither is trusted.
 */
export function readRefreshCookie(headers: Headers): string | undefined {
  const header = headers.get('cookie')
  if (!header || header.length > 8192) return undefined
  if ((header.match(NAME_AT_START) ?? []).length !== 1) return undefined
  return parse(header, REFRESH_COOKIE)[REFRESH_COOKIE]
}

const NAME_AT_START = new RegExp(`(?:^|;)\\s*${REFRESH_COOKIE}=`, 'g')

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
