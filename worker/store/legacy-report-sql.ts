// No imports on purpose: `npm run legacy:report` loads this file in plain Node to run the SQL
// through `wrangler d1 execute`, and the D1 store runs the very same SQL.

/** One line of the report: a client (user agent and app version) on one UTC day. */
export type LegacyReportRow = {
  day: string
  userAgent: string
  appVersion: string
  /** Legacy tokens presented (accepted and refused). */
  uses: number
  /** Of those, refused: enforce, too old in warn, or no such user. */
  rejected: number
  /** Distinct users that client sent tokens of that day; a `sub` that names no user is none. */
  users: number
  /** Of those users, how many have exchanged a legacy token for a session by now (any client). */
  exchanged: number
}

/** The whole range at once: users are distinct across days and clients, so rows do not add up. */
export type LegacyReportTotals = { uses: number; users: number; exchanged: number }

/** The report over a range of days: its rows (by day and client) and the range's totals. */
export type LegacyReport = { rows: LegacyReportRow[]; totals: LegacyReportTotals }

/** Inclusive UTC days, `YYYY-MM-DD`. */
export type LegacyReportRange = { since: string; until: string }

/** Rows beyond this are left out (the script says so); a fleet has far fewer clients per day. */
export const REPORT_ROW_LIMIT = 1000

const EXCHANGED_USERS = 'SELECT user_id FROM legacy_usage WHERE exchanges > 0'
// A verified token's `sub` may name no user (deleted, or never one): its uses count, it does not.
const USERS = 'COUNT(DISTINCT CASE WHEN user_id IN (SELECT id FROM users) THEN user_id END)'

/**
 * Per day and client: uses, refusals, distinct users and how many of them have exchanged. Days
 * are written into the SQL because `wrangler d1 execute --command` takes no bound parameters;
 * they are checked to be dates first, so nothing else can reach the statement.
 */
export function legacyReportSql(range: LegacyReportRange): string {
  return `SELECT day, user_agent AS "userAgent", app_version AS "appVersion",
  SUM(uses) AS uses, SUM(rejected) AS rejected, ${USERS} AS users,
  COUNT(DISTINCT CASE WHEN user_id IN (${EXCHANGED_USERS}) THEN user_id END) AS exchanged
FROM legacy_usage WHERE ${between(range)}
GROUP BY day, user_agent, app_version
ORDER BY day DESC, uses DESC, user_agent, app_version
LIMIT ${REPORT_ROW_LIMIT}`
}

/** Distinct users across the whole range, and how many of them have exchanged. */
export function legacyTotalsSql(range: LegacyReportRange): string {
  return `SELECT COALESCE(SUM(uses), 0) AS uses, ${USERS} AS users,
  COUNT(DISTINCT CASE WHEN user_id IN (${EXCHANGED_USERS}) THEN user_id END) AS exchanged
FROM legacy_usage WHERE ${between(range)}`
}

function between(range: LegacyReportRange): string {
  for (const day of [range.since, range.until]) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
      throw new RangeError(`Not a day (YYYY-MM-DD): ${JSON.stringify(day)}`)
    }
  }
  return `day BETWEEN '${range.since}' AND '${range.until}'`
}
