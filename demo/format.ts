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

const REASONS: Record<string, string> = {
  LOGOUT: 'you signed out (here or in another tab)',
  SESSION_REVOKED: 'this session was revoked, from the sessions list here or on another device',
  SESSION_EXPIRED: 'the session reached its idle or absolute deadline',
  REFRESH_TOKEN_REUSED: 'a spent refresh token was replayed, so the session was revoked',
  REFRESH_TOKEN_INVALID: 'the issuer does not know this refresh token',
  TOKEN_MISSING: 'the refresh cookie is gone',
  INVALID_CREDENTIALS: 'wrong email or password',
  EMAIL_TAKEN: 'an account with this email exists: sign in instead',
  WEAK_PASSWORD: 'choose a longer, less common password (8 to 256 characters)',
  RATE_LIMITED: 'too many attempts: wait a little and try again',
  ORIGIN_REJECTED: 'this page’s origin is not in ALLOWED_ORIGINS',
  INVALID_INPUT: 'check the email address and password',
}

/** A sentence for a Rotor reason, falling back to the reason itself. */
export function describeReason(reason: string): string {
  return REASONS[reason] ?? reason
}
