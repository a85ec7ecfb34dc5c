import { MAX_REPORT_DAYS, lastDays } from '../legacy/report-range.ts'
import { adminRefusal } from './admin-secret.ts'
import { errorResponse } from './error-response.ts'
import type { Issuer } from '../issuer.ts'

/**
 * `GET /admin/legacy-report?days=N`: the `npm run legacy:report` table as JSON, for operators only
 * (`Authorization: Bearer <ADMIN_SECRET>`; refused for everyone when the secret is unset).
 */
export async function handleLegacyReport(issuer: Issuer, request: Request): Promise<Response> {
  const refusal = await adminRefusal(issuer, request, 'This report')
  if (refusal) return refusal
  const days = Number(new URL(request.url).searchParams.get('days') ?? '14')
  const range = lastDays(days, issuer.now())
  if (!range) {
    return errorResponse(
      'INVALID_INPUT',
      `days must be a whole number from 1 to ${MAX_REPORT_DAYS}`,
    )
  }
  const report = await issuer.store.legacyReport(range)
  return Response.json({ range, ...report }, { headers: { 'cache-control': 'no-store' } })
}
