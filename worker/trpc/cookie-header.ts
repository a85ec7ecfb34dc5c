import { tryDecodeURIComponent } from 'hono/utils/url'

/** One `name=value` pair of a `Cookie` header, read as Hono's `getCookie` reads it. */
export type CookiePair = { name: string; value: string }

/**
 * Every pair of a `Cookie` header, in order, duplicates kept: split at `;`, each pair at its first
 * `=`, names and values trimmed of spaces and tabs (RFC 6265bis §5.7, as browsers and Hono do),
 * surrounding quotes dropped and the value percent-decoded (as Hono does). Pairs without `=` name
 * no cookie a server reads and are skipped.
 */
export function parseCookieHeader(header: string): CookiePair[] {
  const pairs: CookiePair[] = []
  for (const part of header.split(';')) {
    const equals = part.indexOf('=')
    if (equals === -1) continue
    const name = trimCookieWhitespace(part.slice(0, equals))
    let value = trimCookieWhitespace(part.slice(equals + 1))
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1)
    pairs.push({ name, value: tryDecodeURIComponent(value) })
  }
  return pairs
}

/**
 * The form of a cookie name that parsers could confuse: case folded, percent-decoded, without
 * the `__Secure-` or `__Host-` prefix (browsers match prefixes in any case, RFC 6265bis §4.1.3).
 * Two cookies whose names share it could each be taken for the other by some parser.
 */
export function confusableName(name: string): string {
  return tryDecodeURIComponent(name)
    .trim()
    .toLowerCase()
    .replace(/^__(secure|host)-/, '')
}

function trimCookieWhitespace(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '')
}
