import { describe, expect, test } from 'vitest'
import {
  formatLegacyReport,
  parseLegacyReportArgs,
  parseWranglerReport,
  wranglerReportArgs,
} from '../../scripts/lib/legacy-report.ts'

const NOW = Date.UTC(2026, 10, 22, 15)

describe('legacy:report arguments', () => {
  test('local D1 and the last 14 days by default', () => {
    expect(parseLegacyReportArgs([], NOW)).toEqual({
      remote: false,
      persistTo: undefined,
      since: '2026-11-09',
      until: '2026-11-22',
    })
  })

  test('--remote and --days N', () => {
    const args = parseLegacyReportArgs(['--remote', '--days', '1'], NOW)
    expect(args).toMatchObject({ remote: true, since: '2026-11-22', until: '2026-11-22' })
    const wrangler = wranglerReportArgs(args)
    expect(wrangler.slice(0, 6)).toEqual(['d1', 'execute', 'DB', '--remote', '--json', '--command'])
    expect(wrangler[6]).toContain("day BETWEEN '2026-11-22' AND '2026-11-22'")
  })

  test.each([
    [['--days', '0']],
    [['--days', 'x']],
    [['--days']],
    [['--what']],
    [['--remote', '--persist-to', 'd']],
  ])('%j is a usage error', (argv) => {
    expect(() => parseLegacyReportArgs(argv, NOW)).toThrow(RangeError)
  })
})

describe('legacy:report output', () => {
  const args = parseLegacyReportArgs([], NOW)
  const answer = (rows: unknown[], totals: unknown) =>
    JSON.stringify([
      { results: rows, success: true },
      { results: [totals], success: true },
    ])

  test('a table a person reads, with the share of users who have exchanged', () => {
    const report = parseWranglerReport(
      answer(
        [
          {
            day: '2026-11-22',
            userAgent: 'MyApp/2.3',
            appVersion: '2.3.1',
            uses: 52,
            rejected: 0,
            users: 4,
            exchanged: 1,
          },
          {
            day: '2026-11-22',
            userAgent: '',
            appVersion: '',
            uses: 5,
            rejected: 5,
            users: 1,
            exchanged: 0,
          },
        ],
        { uses: 57, users: 5, exchanged: 1 },
      ),
    )
    expect(formatLegacyReport(report, args)).toEqual([
      'Legacy tokens 2026-11-09 … 2026-11-22 (UTC, local D1)',
      '',
      'day         client                 uses  refused  users  exchanged',
      '2026-11-22  MyApp/2.3 · app 2.3.1    52        0      4    1 (25%)',
      '2026-11-22  (no user agent)           5        5      1     0 (0%)',
      '',
      '5 users sent 57 legacy tokens; 1 of them have exchanged (20%), 4 have not.',
    ])
  })

  test('no rows says so', () => {
    const report = parseWranglerReport(answer([], { uses: 0, users: 0, exchanged: 0 }))
    expect(formatLegacyReport(report, args).at(-1)).toBe(
      'No legacy token was presented in this range.',
    )
  })

  test('wrangler errors are reported, a missing table with its remedy', () => {
    const missing = JSON.stringify({ error: { text: 'no such table: legacy_usage: SQLITE_ERROR' } })
    expect(() => parseWranglerReport(missing)).toThrow('apply the D1 migrations')
    expect(() => parseWranglerReport('Not logged in')).toThrow('did not answer with JSON')
  })
})
