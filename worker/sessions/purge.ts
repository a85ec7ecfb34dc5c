import type { Issuer } from '../issuer'

export type PurgeOptions = {
  /** Rows per statement: D1 statements stay short so the scheduled run never times out. */
  batchSize?: number
  /** Batches per run; the next cron run continues where this one stopped. */
  maxBatches?: number
}

/**
 * Deletes sessions (and their refresh tokens) that ended longer ago than the longest-lived access
 * token they could have issued, so no live token ever points at a purged session (DESIGN §4).
 */
export async function purgeEndedSessions(
  issuer: Issuer,
  options: PurgeOptions = {},
): Promise<number> {
  const { batchSize = 500, maxBatches = 20 } = options
  const { accessTokenTtl, clockSkewLeeway } = issuer.config
  const before = issuer.now() - (accessTokenTtl + clockSkewLeeway) * 1000
  let purged = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const deleted = await issuer.store.purgeEndedSessions(before, batchSize)
    purged += deleted
    if (deleted < batchSize) break
  }
  return purged
}
