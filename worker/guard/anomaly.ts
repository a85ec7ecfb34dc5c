import type { SessionRecord } from '../store/session-store.ts'

export type Anomaly = 'new-country' | 'new-user-agent'

/**
 * A refresh that does not look like the session's origin: another country, or another browser or
 * app. Version numbers are ignored so that an ordinary update does not count.
 */
export function detectAnomaly(
  session: Pick<SessionRecord, 'country' | 'userAgent'>,
  from: { country: string | null; userAgent: string | null },
): Anomaly | undefined {
  if (session.country && from.country && session.country !== from.country) return 'new-country'
  if (session.userAgent && from.userAgent && family(session.userAgent) !== family(from.userAgent)) {
    return 'new-user-agent'
  }
  return undefined
}

function family(userAgent: string): string {
  return userAgent
    .replace(/[\d._]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}
