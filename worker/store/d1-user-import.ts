import type { ImportOptions, ImportOutcome, ImportUser, SessionStore } from './session-store.ts'

/**
 * Rows per batch. Every statement binds one or two JSON arrays (read with `json_each`), so D1's
 * 100 bound parameters per statement are never near; a batch is four statements (one read, then
 * insert, update and audit row atomically), so a route call of 1,000 lines stays at 40 queries.
 */
export const IMPORT_BATCH_ROWS = 100

type Stored = { id: string; email: string; password_hash: string; email_verified: number }
type Planned =
  | {
      kind: 'insert'
      row: { id: string; email: string; hash: string; verified: number; createdAt: number }
    }
  | {
      kind: 'update'
      row: { id: string; email: string; hash: string; verified: number }
      was: Stored
    }
  | { kind: 'done'; outcome: ImportOutcome }

const SELECT_EXISTING = `SELECT id, email, password_hash, email_verified FROM users
  WHERE id IN (SELECT value FROM json_each(?1)) OR email IN (SELECT value FROM json_each(?2))`
// `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT (sqlite.org/lang_upsert).
const INSERT_NEW = `INSERT INTO users (id, email, password_hash, email_verified, created_at)
  SELECT value ->> '$.id', value ->> '$.email', value ->> '$.hash', value ->> '$.verified',
    value ->> '$.createdAt'
  FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING RETURNING id`
// Compare-and-set on everything read: a row changed since (a sign-in upgrading the hash, another
// import) is left alone, and OR IGNORE leaves one whose new email was taken meanwhile.
const UPDATE_CHANGED = `UPDATE OR IGNORE users SET email = v.value ->> '$.email',
    password_hash = v.value ->> '$.hash', email_verified = v.value ->> '$.verified'
  FROM json_each(?1) AS v
  WHERE users.id = v.value ->> '$.id' AND users.email = v.value ->> '$.was.email'
    AND users.password_hash = v.value ->> '$.was.hash'
    AND users.email_verified = v.value ->> '$.was.verified'
  RETURNING users.id`
const INSERT_AUDIT = `INSERT INTO audit_events
  (at, event, user_id, session_id, ip, country, user_agent, detail, request_id)
  VALUES (?1, 'users.import', NULL, NULL, ?2, ?3, ?4, ?5, ?6)`

const RACED = 'the user changed while importing; run the import again'

/** `importUsers` on D1 (see `SessionStore`). */
export function createD1UserImport(d1: D1Database): Pick<SessionStore, 'importUsers'> {
  return {
    async importUsers(rows, options) {
      const outcomes: ImportOutcome[] = []
      for (let start = 0; start < rows.length; start += IMPORT_BATCH_ROWS) {
        outcomes.push(
          ...(await importBatch(d1, rows.slice(start, start + IMPORT_BATCH_ROWS), options)),
        )
      }
      return outcomes
    },
  }
}

async function importBatch(
  d1: D1Database,
  rows: readonly ImportUser[],
  options: ImportOptions,
): Promise<ImportOutcome[]> {
  const ids = JSON.stringify(rows.map((row) => row.id))
  const emails = JSON.stringify(rows.map((row) => row.email))
  const { results } = await d1.prepare(SELECT_EXISTING).bind(ids, emails).run<Stored>()
  const byId = new Map(results.map((user) => [user.id, user]))
  const byEmail = new Map(results.map((user) => [user.email, user]))
  const plan = rows.map((row) => planRow(row, byId.get(row.id), byEmail.get(row.email), options))
  const inserts = plan.flatMap((step) => (step.kind === 'insert' ? [step.row] : []))
  const updates = plan.flatMap((step) =>
    step.kind === 'update'
      ? [
          {
            ...step.row,
            was: {
              email: step.was.email,
              hash: step.was.password_hash,
              verified: step.was.email_verified,
            },
          },
        ]
      : [],
  )
  if (inserts.length === 0 && updates.length === 0) return plan.map(outcomeOf(new Set()))
  const { audit } = options
  const detail = JSON.stringify({ imported: inserts.length, updated: updates.length })
  const [inserted, updated] = await d1.batch<{ id: string }>([
    d1.prepare(INSERT_NEW).bind(JSON.stringify(inserts)),
    d1.prepare(UPDATE_CHANGED).bind(JSON.stringify(updates)),
    d1
      .prepare(INSERT_AUDIT)
      .bind(
        audit.at,
        audit.ip ?? null,
        audit.country ?? null,
        audit.userAgent ?? null,
        detail,
        audit.requestId ?? null,
      ),
  ])
  const written = new Set([...inserted!.results, ...updated!.results].map((row) => row.id))
  return plan.map(outcomeOf(written))
}

function planRow(
  row: ImportUser,
  existing: Stored | undefined,
  emailOwner: Stored | undefined,
  options: ImportOptions,
): Planned {
  if (emailOwner !== undefined && emailOwner.id !== row.id) {
    return {
      kind: 'done',
      outcome: { outcome: 'refused', reason: 'the email belongs to another user' },
    }
  }
  if (existing === undefined) {
    return {
      kind: 'insert',
      row: {
        id: row.id,
        email: row.email,
        hash: row.passwordHash ?? options.noPassword,
        verified: row.emailVerified ? 1 : 0,
        createdAt: row.createdAt,
      },
    }
  }
  const next = {
    id: row.id,
    email: row.email,
    hash: nextHash(existing.password_hash, row.passwordHash, options),
    verified: row.emailVerified === undefined ? existing.email_verified : row.emailVerified ? 1 : 0,
  }
  const unchanged =
    next.email === existing.email &&
    next.hash === existing.password_hash &&
    next.verified === existing.email_verified
  if (unchanged) return { kind: 'done', outcome: { outcome: 'skipped' } }
  return { kind: 'update', row: next, was: existing }
}

/** The file's hash, unless the stored one is the user's own: a sign-in has upgraded it since. */
function nextHash(stored: string, given: string | undefined, options: ImportOptions): string {
  if (given === undefined || options.keepsHash(stored)) return stored
  return given
}

function outcomeOf(written: ReadonlySet<string>) {
  return (step: Planned): ImportOutcome => {
    if (step.kind === 'done') return step.outcome
    if (!written.has(step.row.id)) return { outcome: 'refused', reason: RACED }
    return { outcome: step.kind === 'insert' ? 'imported' : 'updated' }
  }
}
