import { MAX_REPORT_DAYS, lastDays } from '../../worker/legacy/report-range.ts'
import {
  REPORT_ROW_LIMIT,
  legacyReportSql,
  legacyTotalsSql,
} from '../../worker/store/legacy-report-sql.ts'
import type {
  LegacyReport,
  LegacyReportRange,
  LegacyReportRow,
  LegacyReportTotals,
} from '../../worker/store/legacy-report-sql.ts'

export type LegacyReportArgs = LegacyReportRange & {
  remote: boolean
  /** Passed to wrangler for a local database kept elsewhere (as `npm run dev -- --persist-to`). */
  persistTo: string | undefined
}

export const USAGE = `npm run legacy:report [-- --remote] [--days N] [--persist-to DIR]

Legacy-token use per UTC day and client (user agent · app version): uses, refusals, distinct
users, and how many of those users have exchanged a legacy token for a Rotor session.
  --remote        the production D1 (through wrangler); the local one by default
  --days N        the last N days, today included (default 14)`

/** Reads the command line; `today` is epoch ms. Throws a `RangeError` with a usage hint. */
export function parseLegacyReportArgs(argv: readonly string[], today: number): LegacyReportArgs {
  let remote = false
  let days = 14
  let persistTo: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--remote') remote = true
    else if (arg === '--local') remote = false
    else if (arg === '--days' || arg === '--persist-to') {
      const value = argv[++i]
      if (value === undefined) throw new RangeError(`${arg} needs a value`)
      if (arg === '--persist-to') persistTo = value
      else days = Number(value)
    } else throw new RangeError(`Unknown argument ${JSON.stringify(arg)}`)
  }
  const range = lastDays(days, today)
  if (!range) throw new RangeError(`--days must be a whole number from 1 to ${MAX_REPORT_DAYS}`)
  if (remote && persistTo !== undefined) throw new RangeError('--persist-to is for the local D1')
  return { remote, persistTo, ...range }
}

/** `wrangler d1 execute` arguments that run both report queries in one call. */
export function wranglerReportArgs(args: LegacyReportArgs): string[] {
  const where = args.remote ? ['--remote'] : ['--local']
  if (args.persistTo !== undefined) where.push('--persist-to', args.persistTo)
  const sql = `${legacyReportSql(args)};\n${legacyTotalsSql(args)}`
  return ['d1', 'execute', 'DB', ...where, '--json', '--command', sql]
}

/** The two result sets from `wrangler d1 execute --json`; throws with wrangler's own error. */
export function parseWranglerReport(stdout: string): LegacyReport {
  let parsed: unknown
  try {
    parsed = JSON.parse(stdout)
  } catch {
    throw new Error('wrangler did not answer with JSON')
  }
  const error = (parsed as { error?: { text?: string } }).error
  if (error?.text?.includes('no such table: legacy_usage')) {
    throw new Error('the legacy_usage table is missing: apply the D1 migrations first')
  }
  if (error) throw new Error(`wrangler: ${error.text ?? 'unknown error'}`)
  const [rows, totals] = parsed as { results?: unknown[] }[]
  if (!Array.isArray(rows?.results) || !Array.isArray(totals?.results)) {
    throw new Error('wrangler answered with an unexpected shape')
  }
  return {
    rows: rows.results as LegacyReportRow[],
    totals: (totals.results[0] ?? { uses: 0, users: 0, exchanged: 0 }) as LegacyReportTotals,
  }
}

/** The report as lines of a fixed-width table, for a person deciding when to change phase. */
export function formatLegacyReport(report: LegacyReport, args: LegacyReportArgs): string[] {
  const where = args.remote ? 'remote D1' : 'local D1'
  const title = `Legacy tokens ${args.since} … ${args.until} (UTC, ${where})`
  if (report.rows.length === 0) return [title, '', 'No legacy token was presented in this range.']
  const header = ['day', 'client', 'uses', 'refused', 'users', 'exchanged']
  const cells = report.rows.map((row) => [
    row.day,
    client(row),
    String(row.uses),
    String(row.rejected),
    String(row.users),
    `${row.exchanged} (${percent(row.exchanged, row.users)})`,
  ])
  const widths = header.map((_, i) =>
    Math.max(...[header, ...cells].map((line) => line[i]!.length)),
  )
  const line = (values: string[]) =>
    values
      .map((value, i) => (i < 2 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!)))
      .join('  ')
  const { totals } = report
  return [
    title,
    '',
    line(header),
    ...cells.map(line),
    ...(report.rows.length >= REPORT_ROW_LIMIT ? [`(first ${REPORT_ROW_LIMIT} rows only)`] : []),
    '',
    `${totals.users} users sent ${totals.uses} legacy tokens; ${totals.exchanged} of them have ` +
      `exchanged (${percent(totals.exchanged, totals.users)}), ${totals.users - totals.exchanged} have not.`,
  ]
}

function client(row: LegacyReportRow): string {
  const agent = row.userAgent === '' ? '(no user agent)' : row.userAgent
  return row.appVersion === '' ? agent : `${agent} · app ${row.appVersion}`
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((100 * part) / whole)}%`
}
