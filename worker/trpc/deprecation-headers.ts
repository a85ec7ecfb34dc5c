import type { Deprecation } from '../legacy/legacy-policy.ts'

/**
 * `Deprecation` (RFC 9745, a structured-field date `@<epoch seconds>`) and `Sunset` (RFC 8594) on
 * a response to a legacy token, in warn. Set, not appended: a batch may carry several calls.
 */
export function setDeprecationHeaders(resHeaders: Headers, deprecation: Deprecation | undefined) {
  if (deprecation === undefined) return
  resHeaders.set('deprecation', `@${deprecation.since}`)
  resHeaders.set('sunset', deprecation.sunset)
}
