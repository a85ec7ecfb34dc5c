import type { LegacyReportRange } from '../store/session-store.ts'

/** The report covers 1 to this many days, today included. */
export const MAX_REPORT_DAYS = 366

/**
 * The last `days` UTC days up to the day of `now` (epoch ms), or `undefined` unless `days` is a
 * whole number from 1 to `MAX_REPORT_DAYS`. Shared by the operator route and `legacy:report`.
 */
export function lastDays(days: number, now: number): LegacyReportRange | undefined {
  if (!Number.isInteger(days) || days < 1 || days > MAX_REPORT_DAYS) return undefined
  const day = (at: number) => new Date(at).toISOString().slice(0, 10)
  return { since: day(now - (days - 1) * 86_400_000), until: day(now) }
}
