import { and, eq, or, sql } from 'drizzle-orm'
import { users } from '../../db/schema.ts'
import { insertAuditWhere } from './d1-audit.ts'
import type { Db } from './d1-db.ts'
import type { SessionStore } from './session-store.ts'

/** Lazy migration's write on D1 (README, "Lazy migration"). */
export function createD1MigrateUser(db: Db): Pick<SessionStore, 'migrateUser'> {
  return {
    async migrateUser({ user, fill, audit }) {
      // A fill only ever writes the row still waiting for its first hash ('' is NO_PASSWORD, kept
      // literal: the store does not import the passwords layer).
      const write = fill
        ? db
            .update(users)
            .set({
              passwordHash: user.passwordHash,
              emailVerified: sql`MAX(email_verified, ${user.emailVerified ? 1 : 0})`,
            })
            .where(
              and(eq(users.id, user.id), eq(users.email, user.email), eq(users.passwordHash, '')),
            )
            .returning({ id: users.id })
        : db.insert(users).values(user).onConflictDoNothing().returning({ id: users.id })
      const [written, , found] = await db.batch([
        write,
        // Audited only when the write just before changed a row (`changes()` is its count).
        insertAuditWhere(db, audit, {
          userId: sql`id`,
          sessionId: sql`NULL`,
          from: sql`FROM ${users} WHERE id = ${user.id} AND changes() > 0`,
        }),
        db
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(or(eq(users.id, user.id), eq(users.email, user.email))),
      ])
      if (written.length > 0) return 'migrated'
      const byId = found.find((row) => row.id === user.id)
      if (byId === undefined) return 'email-taken'
      return byId.email === user.email ? 'already' : 'id-taken'
    },
  }
}
