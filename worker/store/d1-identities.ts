import { and, eq, sql } from 'drizzle-orm'
import { userIdentities, users } from '../../db/schema.ts'
import { insertAuditWhere } from './d1-audit.ts'
import type { Db } from './d1-db.ts'
import type { SessionStore } from './session-store.ts'

type IdentityMethods = Pick<SessionStore, 'findUserByIdentity' | 'createUserWithIdentity'>

/** Users linked to another system's account (`user_identities`), on D1. */
export function createD1Identities(db: Db): IdentityMethods {
  return {
    async findUserByIdentity(identity) {
      return db
        .select({ id: users.id, email: users.email, passwordHash: users.passwordHash })
        .from(userIdentities)
        .innerJoin(users, eq(users.id, userIdentities.userId))
        .where(
          and(
            eq(userIdentities.provider, identity.provider),
            eq(userIdentities.subject, identity.subject),
          ),
        )
        .get()
    },

    async createUserWithIdentity(user, identity, audit) {
      // One batch, so one transaction: the identity row is written only when the user row was
      // (`changes()` of the insert before it), and a subject linked meanwhile by a racing sign-in
      // fails the primary key, which rolls the new user back too.
      const [created] = await db.batch([
        db.insert(users).values(user).onConflictDoNothing().returning({ id: users.id }),
        db.insert(userIdentities).select(sql`
          SELECT ${identity.provider}, ${identity.subject}, ${user.id}, ${user.createdAt}
          WHERE changes() > 0`),
        insertAuditWhere(db, audit, {
          userId: sql`user_id`,
          sessionId: sql`NULL`,
          from: sql`FROM ${userIdentities} WHERE provider = ${identity.provider}
            AND subject = ${identity.subject} AND user_id = ${user.id} AND changes() > 0`,
        }),
      ])
      return created.length === 1 ? 'created' : 'email-taken'
    },
  }
}
