import { and, desc, eq, exists, gt, isNull, ne, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { refreshTokens, sessions, users } from '../../db/schema.ts'
import { insertAudit, insertAuditWhere } from './d1-audit.ts'
import { clearCounter } from './d1-counters.ts'
import { createD1Guard } from './d1-guard.ts'
import { createD1Identities } from './d1-identities.ts'
import { createD1LegacyUsage } from './d1-legacy-usage.ts'
import { createD1Mfa } from './d1-mfa.ts'
import { createD1MigrateUser } from './d1-migrate-user.ts'
import { createD1Recovery } from './d1-recovery.ts'
import { readRevocationFeedInD1 } from './d1-revocation-feed.ts'
import { rotateInD1 } from './d1-rotation.ts'
import { sessionWithUserColumns } from './d1-session-columns.ts'
import { createD1UserImport } from './d1-user-import.ts'
import type { MfaStore } from './mfa-store.ts'
import type { RecoveryStore } from './recovery-store.ts'
import type { AuditInput, RevokeInput, SessionStore } from './session-store.ts'

/** The `SessionStore` on one D1 database. Every multi-row write is one `batch()`. */
export function createD1Store(d1: D1Database): SessionStore & RecoveryStore & MfaStore {
  const db = drizzle(d1)
  const audit = (input: AuditInput) => insertAudit(db, input)
  const revoked = (input: RevokeInput) => ({ revokedAt: input.now, revokeReason: input.reason })

  return {
    ...createD1Guard(db),
    ...createD1LegacyUsage(db, d1),
    ...createD1Recovery(d1),
    ...createD1Mfa(d1),
    ...createD1UserImport(d1),
    ...createD1MigrateUser(db),
    ...createD1Identities(db),

    async createUser(user, auditInput) {
      const [created] = await db.batch([
        db.insert(users).values(user).onConflictDoNothing().returning({ id: users.id }),
        insertAuditWhere(db, auditInput, {
          userId: sql`id`,
          sessionId: sql`NULL`,
          from: sql`FROM ${users} WHERE id = ${user.id}`,
        }),
      ])
      return created.length === 1 ? 'created' : 'email-taken'
    },

    async findUserByEmail(email) {
      return db.select().from(users).where(eq(users.email, email)).get()
    },

    async findUserById(id) {
      return db.select().from(users).where(eq(users.id, id)).get()
    },

    async createSession(
      session,
      tokenHash,
      auditInput,
      clearRateLimitKeys = [],
      passwordHash,
      seen,
    ) {
      const changedSince = sql`(SELECT ${users.credentialsChangedAt} FROM ${users} WHERE ${users.id} = ${session.userId}) IS NOT ${seen ?? null}`
      // An upgrade of the checked password never overwrites a reset that committed since.
      const unchanged = seen === undefined ? undefined : sql`NOT ${changedSince}`
      // The next feed index, read inside the insert: D1 runs one batch at a time, so two sign-ins
      // never take the same one (the unique index would refuse it if they did).
      const statusIdx = sql`(SELECT coalesce(max(${sessions.statusIdx}) + 1, 0) FROM ${sessions})`
      const results = await db.batch([
        db
          .insert(sessions)
          .values({ ...session, statusIdx })
          .returning({ statusIdx: sessions.statusIdx }),
        ...(passwordHash === undefined
          ? []
          : [
              db
                .update(users)
                .set({ passwordHash })
                .where(and(eq(users.id, session.userId), unchanged)),
            ]),
        db
          .insert(refreshTokens)
          .values({ tokenHash, sessionId: session.id, createdAt: session.createdAt }),
        audit(auditInput),
        ...clearRateLimitKeys.map((key) => clearCounter(db, key)),
        db
          .update(sessions)
          .set({ revokedAt: session.createdAt, revokeReason: 'password-change' })
          .where(and(eq(sessions.id, session.id), seen === undefined ? sql`0` : changedSince))
          .returning({ id: sessions.id }),
      ])
      if ((results.at(-1) as unknown[]).length > 0) return 'stale'
      const [inserted] = results[0] as { statusIdx: number }[]
      return { statusIdx: inserted!.statusIdx }
    },

    rotate: (input) => rotateInD1(d1, input),

    readRevocationFeed: (revokedSince) => readRevocationFeedInD1(d1, revokedSince),

    async findSession(sessionId) {
      return db
        .select(sessionWithUserColumns)
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.id, sessionId))
        .get()
    },

    async findSessionByToken(tokenHash) {
      return db
        .select({ sessionId: sessions.id, userId: sessions.userId })
        .from(refreshTokens)
        .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
        .where(eq(refreshTokens.tokenHash, tokenHash))
        .get()
    },

    async revokeSession(input) {
      const holdsToken = (tokenHash: string) =>
        exists(
          db
            .select({ one: sql`1` })
            .from(refreshTokens)
            .where(
              and(
                eq(refreshTokens.tokenHash, tokenHash),
                eq(refreshTokens.sessionId, input.sessionId),
              ),
            ),
        )
      const owned = and(
        eq(sessions.id, input.sessionId),
        input.userId === undefined ? undefined : eq(sessions.userId, input.userId),
        input.tokenHash === undefined ? undefined : holdsToken(input.tokenHash),
      )
      const [changed, , found] = await db.batch([
        db
          .update(sessions)
          .set(revoked(input))
          .where(and(owned, isNull(sessions.revokedAt)))
          .returning({ id: sessions.id }),
        // Audited only when the update just before changed the row: `changes()` is that
        // statement's count, so a miss, or a racing call in the same millisecond, writes nothing.
        insertAuditWhere(db, input.audit, {
          userId: sql`user_id`,
          sessionId: sql`id`,
          from: sql`FROM ${sessions} WHERE id = ${input.sessionId} AND changes() > 0`,
        }),
        db.select({ id: sessions.id }).from(sessions).where(owned),
      ])
      if (changed.length > 0) return 'revoked'
      return found.length > 0 ? 'already' : 'not-found'
    },

    async revokeUserSessions(input) {
      // Sign-out everywhere reaches legacy tokens too: they are refused from now on.
      const credentials = { credentialsChangedAt: input.now, passwordHash: input.passwordHash }
      const [, changed] = await db.batch([
        db.update(users).set(credentials).where(eq(users.id, input.userId)),
        db
          .update(sessions)
          .set(revoked(input))
          .where(
            and(
              eq(sessions.userId, input.userId),
              isNull(sessions.revokedAt),
              input.keepSessionId === undefined ? undefined : ne(sessions.id, input.keepSessionId),
            ),
          )
          .returning({ id: sessions.id }),
        audit(input.audit),
        ...(input.clearRateLimitKeys ?? []).map((key) => clearCounter(db, key)),
      ])
      return changed.length
    },

    async updatePasswordHash(userId, passwordHash) {
      await db.update(users).set({ passwordHash }).where(eq(users.id, userId))
    },

    async listLiveSessions(userId, now) {
      return db
        .select()
        .from(sessions)
        .where(
          and(
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            gt(sessions.idleExpiresAt, now),
            gt(sessions.absoluteExpiresAt, now),
          ),
        )
        .orderBy(desc(sessions.lastUsedAt))
        .limit(100)
    },

    async recordAudit(input) {
      await audit(input)
    },

    async purgeEndedSessions(before, limit) {
      // Idle deadlines never pass absolute ones, so two indexed range scans find every ended
      // session; a UNION keeps each on its index where an OR would scan the whole table.
      const ended = sql`(SELECT ${sessions.id} FROM ${sessions} WHERE ${sessions.idleExpiresAt} < ${before}
        UNION SELECT ${sessions.id} FROM ${sessions} WHERE ${sessions.revokedAt} < ${before}
        LIMIT ${limit})`
      const [, deleted] = await db.batch([
        db.delete(refreshTokens).where(sql`${refreshTokens.sessionId} IN ${ended}`),
        db
          .delete(sessions)
          .where(sql`${sessions.id} IN ${ended}`)
          .returning({ id: sessions.id }),
      ])
      return deleted.length
    },
  }
}
