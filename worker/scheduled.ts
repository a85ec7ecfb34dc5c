import { auditSigningKey } from './keys/signing-key-audit'
import { purgeExpired } from './sessions/purge'
import type { Issuer } from './issuer'

/** The hourly cron (`wrangler.toml` [triggers]): keep tables bounded, note a new signing key. */
export async function runScheduled(issuer: Issuer): Promise<void> {
  const signing = await auditSigningKey(issuer)
  if (signing)
    console.log(JSON.stringify({ level: 'info', msg: 'signing key in use', key: signing }))
  const purged = await purgeExpired(issuer)
  console.log(JSON.stringify({ level: 'info', msg: 'purged expired rows', ...purged }))
}
