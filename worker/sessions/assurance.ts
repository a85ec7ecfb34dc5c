import type { AssuranceClaims } from '../tokens/access-token.ts'
import type { SessionRecord } from '../store/session-store.ts'

/**
 * The `amr`, `acr` and `auth_time` claims of a session's access tokens (README: Second factor),
 * as its row holds them: unchanged by refreshes, moved on by a step-up. A session begun before
 * migration 0011 has none but `auth_time`, its sign-in.
 */
export function assuranceOf(
  session: Pick<SessionRecord, 'amr' | 'acr' | 'authTime' | 'createdAt'>,
): AssuranceClaims {
  const amr = parseAmr(session.amr)
  return {
    ...(amr.length > 0 ? { amr } : {}),
    ...(session.acr === null ? {} : { acr: session.acr }),
    auth_time: Math.floor((session.authTime ?? session.createdAt) / 1000),
  }
}

/** A session's methods, from the JSON array its row keeps (none for anything else). */
export function parseAmr(stored: string | null): string[] {
  if (stored === null) return []
  try {
    const parsed: unknown = JSON.parse(stored)
    return Array.isArray(parsed) ? parsed.filter((m): m is string => typeof m === 'string') : []
  } catch {
    return []
  }
}
