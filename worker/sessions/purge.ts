import { revokedTokenWindow } from '../tokens/access-token.ts'
import type { Issuer } from '../issuer.ts'

export type PurgeOptions = {
  /** Rows per statement: D1 statements stay short so the scheduled run never times out. */
  batchSize?: number
  /** Batches per table per run; the next cron run continues where this one stopped. */
  maxBatches?: number
}

export type PurgeResult = { sessions: number; guardRows: number; legacyUsage: number }

// Longest rate-limit window allowed by the configuration: idle counters after it are dead.
const MAX_COUNTER_WINDOW_MS = 86_400_000

/**
 * Keeps every table bounded (DESIGN §9): sessions (and their refresh tokens) that ended longer ago
 * than the longest-lived access token they could have issued, at any verifier's leeway, so no live
 * token points at a purged session; audit rows and legacy-usage days past `AUDIT_RETENTION`; rate-limit counters idle past
 * any window.
 */
export async function purgeExpired(
  issuer: Issuer,
  options: PurgeOptions = {},
): Promise<PurgeResult> {
  const { batchSize = 500, maxBatches = 20 } = options
  const { auditRetention } = issuer.config
  const now = issuer.now()
  // The revocation feed lists a revoked session for as long: the purge never drops one early.
  const sessionsBefore = now - revokedTokenWindow(issuer.config) * 1000
  const sessions = await drain(maxBatches, batchSize, () =>
    issuer.store.purgeEndedSessions(sessionsBefore, batchSize),
  )
  const guardRows = await drain(maxBatches, batchSize, () =>
    issuer.store.purgeGuardRows({
      auditBefore: now - auditRetention * 1000,
      countersBefore: now - MAX_COUNTER_WINDOW_MS,
      limit: batchSize,
    }),
  )
  // Legacy usage rows follow the audit trail's retention: the report looks back that far.
  const legacyUsage = await drain(maxBatches, batchSize, () =>
    issuer.store.purgeLegacyUsage(now - auditRetention * 1000, batchSize),
  )
  return { sessions, guardRows, legacyUsage }
}

async function drain(maxBatches: number, batchSize: number, purge: () => Promise<number>) {
  let total = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const deleted = await purge()
    total += deleted
    if (deleted < batchSize) break
  }
  return total
}
