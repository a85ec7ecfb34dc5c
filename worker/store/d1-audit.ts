import { sql } from 'drizzle-orm'
import type { SQL } from 'drizzle-orm'
import { auditEvents } from '../../db/schema.ts'
import type { AuditInput } from './session-store.ts'
import type { Db } from './d1-db.ts'

/** An audit row, as one batchable statement. */
export function insertAudit(db: Db, input: AuditInput) {
  return db.insert(auditEvents).values({
    at: input.at,
    event: input.event,
    userId: input.userId ?? null,
    sessionId: input.sessionId ?? null,
    ip: input.ip ?? null,
    country: input.country ?? null,
    userAgent: input.userAgent ?? null,
    detail: input.detail ?? null,
    requestId: input.requestId ?? null,
  })
}

/**
 * An audit row written only if `from` (a `FROM … WHERE …` clause) finds a row, with the user and
 * session taken from it: how a batch audits only what its conditional writes actually did.
 * (Insert-select, because drizzle cannot batch a raw statement that has parameters.)
 */
export function insertAuditWhere(
  db: Db,
  input: AuditInput,
  source: { userId: SQL; sessionId: SQL; from: SQL },
) {
  // Every column of audit_events, in table order; NULL lets SQLite assign the id.
  return db.insert(auditEvents).select(sql`
    SELECT NULL, ${input.at}, ${input.event}, ${source.userId}, ${source.sessionId},
      ${input.ip ?? null}, ${input.country ?? null}, ${input.userAgent ?? null}, ${input.detail ?? null},
      ${input.requestId ?? null}
    ${source.from}`)
}
