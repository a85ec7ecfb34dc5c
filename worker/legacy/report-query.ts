// No imports on purpose: `npm run legacy:report` loads this file in plain Node, and workerd tests
// run the very same SQL against D1.

/** One line of the report: a client (user agent and app version) on one UTC day. */
export type LegacyReportRow = {
  day: string
  userAgent: string
  appVersion: string
  /** Legacy tokens presented (accepted and refused). */
  uses: number
  /** Of those, refused: enforce, too old in warn, or no such user. */
  rejected: number
  /** Distinct users (token subjects) that client sent that day. */
  users: number
  /** Of those users, how many have exchanged a legacy token for a session by now (any client). */
  exchanged: number
}

/** The whole range at once: users are distinct across days and clients, so rows do not add up. */
export type LegacyReportTotals = { uses: number; users: number; exchanged: number }

/** Inclusive UTC days, `YYYY-MM-DD`. */
export type LegacyReportRange = { since: string; until: string }

/** The report covers 1 to this many days, today included. */
export const MAX_REPORT_DAYS = 366

/**
 * The last `days` UTC days up to the day of `now` (epoch ms), or `undefined` unless `days` is a
 * whole number from 1 to `MAX_REPORT_DAYS`.
 */
export function lastDays(days: number, now: number): LegacyReportRange | undefined {
  if (!Number.isInteger(days) || days < 1 || days > MAX_REPORT_DAYS) return undefined
  const day = (at: number) => new Date(at).toISOString().slice(0, 10)
  return { since: day(now - (days - 1) * 86_400_000), until: day(now) }
}

/** Rows beyond this are left out (the script says so); a fleet has far fewer clients per day. */
export const REPORT_ROW_LIMIT = 1000

const EXCHANGED_USERS = 'SELECT user_id FROM legacy_usage WHERE exchanges > 0'

/**
 * Per day and client: uses, refusals, distinct users and how many of them have exchanged. Days
 * are written into the SQL because `wrangler d1 execute --command` takes no bound parameters;
 * they are checked to be dates first, so nothing else can reach the statement.
 */
export function legacyReportSql(range: LegacyReportRange): string {
  return `SELECT day, user_agent AS "userAgent", app_version AS "appVersion",
  SUM(uses) AS uses, SUM(rejected) AS rejected, COUNT(DISTINCT user_id) AS users,
  COUNT(DISTINCT CASE WHEN user_id IN (${EXCHANGED_USERS}) THEN user_id END) AS exchanged
FROM legacy_usage WHERE ${between(range)}
GROUP BY day, user_agent, app_version
ORDER BY day DESC, uses DESC, user_agent, app_version
LIMIT ${REPORT_ROW_LIMIT}`
}

/** Distinct users across the whole range, and how many of them have exchanged. */
export function legacyTotalsSql(range: LegacyReportRange): string {
  return `SELECT COALESCE(SUM(uses), 0) AS uses, COUNT(DISTINCT user_id) AS users,
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
