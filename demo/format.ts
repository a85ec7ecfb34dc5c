const UNITS = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
] as const

/** "6 d 23 h", "14 min 5 s", "3 s": the two largest units, enough for a countdown. */
export function formatRemaining(seconds: number): string {
  let rest = Math.max(0, Math.floor(seconds))
  const parts: string[] = []
  for (const [unit, size] of UNITS) {
    if (parts.length === 2) break
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count > 0 || parts.length > 0 || size === 1) parts.push(`${count} ${unit}`)
  }
  return parts.join(' ')
}

/** Local date and time of an epoch-seconds instant, for `<time>` text. */
export function formatInstant(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toLocaleString()
}

// Why a session ended: the client reports a reason, not the server's message.
const REASONS: Record<string, string> = {
  LOGOUT: 'you signed out (here or in another tab)',
  SESSION_REVOKED:
    'this session was revoked on another device (signed out everywhere, removed from a sessions list, or a new password)',
  SESSION_EXPIRED: 'the session reached its idle or absolute deadline',
  REFRESH_TOKEN_REUSED: 'a spent refresh token was replayed, so the session was revoked',
  REFRESH_TOKEN_INVALID: 'the issuer does not know this refresh token',
  TOKEN_MISSING: 'the refresh cookie is gone',
}

// What to do next, after the server's own words.
const HINTS: Record<string, string> = {
  EMAIL_TAKEN: 'sign in instead',
  ORIGIN_REJECTED: 'this page’s origin must be in ALLOWED_ORIGINS',
  CODE_INVALID: 'send a new code if it keeps failing',
  EMAIL_NOT_VERIFIED: 'send a verification code below',
}

// Answers whose message is for developers (a schema report) or deliberately empty.
const REPLACED: Record<string, string> = {
  INVALID_INPUT: 'Check the email address and password',
  INTERNAL_ERROR: 'The issuer failed; try again',
}

// This page's own "Sign out this device" in the sessions list also answers SESSION_REVOKED.
const REVOKED_HERE = 'you signed this device out from the sessions list'

/**
 * A sentence for why a session ended, falling back to the reason itself; `revokedHere` when this
 * page revoked its own session from the list, which the issuer reports as any revocation.
 */
export function describeSignOut(reason: string, revokedHere: boolean): string {
  return revokedHere && reason === 'SESSION_REVOKED' ? REVOKED_HERE : describeReason(reason)
}

/** A sentence for why a session ended, falling back to the reason itself. */
export function describeReason(reason: string): string {
  return REASONS[reason] ?? reason
}

/**
 * A failed call in the server's own words ("Too many attempts; try again in 4 s"), with a hint
 * where one helps; only a message not written for people is replaced.
 */
export function describeError(reason: string | undefined, message: string): string {
  if (reason === undefined) return message
  const text = REPLACED[reason] ?? (message || describeReason(reason))
  const hint = HINTS[reason]
  return hint ? `${text} (${hint})` : text
}
