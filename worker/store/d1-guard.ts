import { and, desc, eq, getTableColumns, inArray, isNotNull, lt, sql } from 'drizzle-orm'
import { auditEvents, mfaFactors, rateLimits, sessions, users } from '../../db/schema.ts'
import { insertAudit } from './d1-audit.ts'
import { hitCounter, readCounter } from './d1-counters.ts'
import type { SessionStore } from './session-store.ts'
import type { Db } from './d1-db.ts'

type GuardMethods = Pick<
  SessionStore,
  | 'beginLogin'
  | 'refundLoginAttempt'
  | 'recordLoginFailure'
  | 'hitRateLimit'
  | 'flagSession'
  | 'lastAuditDetail'
  | 'listAudit'
  | 'purgeGuardRows'
>

// An `AuditRecord`: what a user is shown of their own trail.
const { id, userId, ...auditRecordColumns } = getTableColumns(auditEvents)

/** Rate-limit counters, anomaly flags and the audit trail, on D1. */
export function createD1Guard(db: Db): GuardMethods {
  return {
    async beginLogin({ email, ipKey, attemptKey, failKey, now, ipWindowMs, accountWindowMs }) {
      const userId = db.select({ id: users.id }).from(users).where(eq(users.email, email))
      const [ip, failures, attempt, user, factor] = await db.batch([
        hitCounter(db, ipKey, now, ipWindowMs),
        readCounter(db, failKey),
        hitCounter(db, attemptKey, now, accountWindowMs),
        db.select().from(users).where(eq(users.email, email)),
        db
          .select({ one: sql`1` })
          .from(mfaFactors)
          .where(and(eq(mfaFactors.userId, userId), isNotNull(mfaFactors.confirmedAt))),
      ])
      return {
        ip: ip[0]!,
        failures: failures[0],
        attempt: attempt[0]!,
        user: user[0],
        secondFactor: factor.length > 0,
      }
    },

    async refundLoginAttempt(attemptKey) {
      await db
        .update(rateLimits)
        .set({ count: sql`MAX(${rateLimits.count} - 1, 0)` })
        .where(eq(rateLimits.key, attemptKey))
    },

    async recordLoginFailure({ failKey, now, windowMs }, audit) {
      await db.batch([hitCounter(db, failKey, now, windowMs), insertAudit(db, audit)])
    },

    async hitRateLimit(key, now, windowMs) {
      const [counter] = await hitCounter(db, key, now, windowMs)
      return counter!
    },

    async flagSession({ sessionId, now, reason, audit }) {
      await db.batch([
        db
          .update(sessions)
          .set({ flaggedAt: now, flagReason: reason })
          .where(eq(sessions.id, sessionId)),
        insertAudit(db, audit),
      ])
    },

    async lastAuditDetail(event) {
      const row = await db
        .select({ detail: auditEvents.detail })
        .from(auditEvents)
        .where(eq(auditEvents.event, event))
        .orderBy(desc(auditEvents.at), desc(auditEvents.id))
        .get()
      return row?.detail ?? null
    },

    async listAudit(userId, limit) {
      return db
        .select(auditRecordColumns)
        .from(auditEvents)
        .where(eq(auditEvents.userId, userId))
        .orderBy(desc(auditEvents.at), desc(auditEvents.id))
        .limit(limit)
    },

    async purgeGuardRows({ auditBefore, countersBefore, limit }) {
      const oldAudit = db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(lt(auditEvents.at, auditBefore))
        .limit(limit)
      const idleCounters = db
        .select({ key: rateLimits.key })
        .from(rateLimits)
        .where(lt(rateLimits.lastAt, countersBefore))
        .limit(limit)
      const [audit, counters] = await db.batch([
        db
          .delete(auditEvents)
          .where(inArray(auditEvents.id, oldAudit))
          .returning({ id: auditEvents.id }),
        db
          .delete(rateLimits)
          .where(inArray(rateLimits.key, idleCounters))
          .returning({ key: rateLimits.key }),
      ])
      return audit.length + counters.length
    },
  }
}
