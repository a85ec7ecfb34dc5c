import { auditSigningKey } from './keys/signing-key-audit.ts'
import { purgeExpired } from './sessions/purge.ts'
import type { Issuer } from './issuer.ts'

/** The hourly cron (`wrangler.toml` [triggers]): keep tables bounded, note a new signing key. */
export async function runScheduled(issuer: Issuer): Promise<void> {
  const signing = await auditSigningKey(issuer)
  if (signing)
    console.log(JSON.stringify({ level: 'info', msg: 'signing key in use', key: signing }))
  const purged = await purgeExpired(issuer)
  // One-time codes a day past their expiry, and development outbox rows a day old.
  const codes = await issuer.store.purgeCodes(issuer.now() - 86_400_000, 500)
  // Sign-in challenges past their five minutes (README: Second factor).
  const mfaChallenges = await issuer.store.purgeMfaChallenges(issuer.now(), 500)
  const line = { level: 'info', msg: 'purged expired rows', ...purged, codes, mfaChallenges }
  console.log(JSON.stringify(line))
}
