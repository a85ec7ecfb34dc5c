import type { Issuer } from '../issuer.ts'

/**
 * Writes a `key.signing` audit row when the key that signs differs from the last one recorded,
 * so the trail shows when each key started signing (run by the hourly cron). Returns the kid
 * recorded, or `undefined` when nothing changed.
 */
export async function auditSigningKey(issuer: Issuer): Promise<string | undefined> {
  const { kid, alg } = await issuer.keys.signingKey()
  const detail = `${alg}:${kid}`
  if ((await issuer.store.lastAuditDetail('key.signing')) === detail) return undefined
  await issuer.store.recordAudit({ event: 'key.signing', at: issuer.now(), detail })
  return detail
}
