import { getTableColumns } from 'drizzle-orm'
import { sessions, users } from '../../db/schema.ts'

// A `SessionRecord` is every session column but the refresh counter and the revoke reason.
const { revokeReason, refreshCount, refreshWindowStart, ...sessionColumns } =
  getTableColumns(sessions)

/** The columns of a `SessionWithUser` (sessions joined to users), for drizzle selects. */
export const sessionWithUserColumns = {
  ...sessionColumns,
  email: users.email,
  emailVerified: users.emailVerified,
}

/**
 * The same columns as a plain-SQL select list over `sessions s JOIN users u`, each named after its
 * field, so a raw row holds a `SessionWithUser` as it stands.
 */
export const SESSION_WITH_USER_SQL = [
  ...Object.entries(sessionColumns).map(([field, column]) => `s.${column.name} AS "${field}"`),
  `u.${users.email.name} AS "email"`,
  `u.${users.emailVerified.name} AS "emailVerified"`,
].join(', ')
