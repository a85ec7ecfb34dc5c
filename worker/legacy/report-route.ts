import { carriesSecret } from '../http/caller-secret'
import { errorResponse } from '../http/error-response'
import { usageDay } from './legacy-usage'
import type { Issuer } from '../issuer'

const DAY_MS = 86_400_000

/**
 * `GET /admin/legacy-report?days=N`: the `npm run legacy:report` table as JSON, for operators only
 * (`Authorization: Bearer <ADMIN_SECRET>`; refused for everyone when the secret is unset).
 */
export async function handleLegacyReport(issuer: Issuer, request: Request): Promise<Response> {
  if (!(await carriesSecret(request.headers.get('authorization'), issuer.adminSecret))) {
    return errorResponse('TOKEN_INVALID', 'This report needs the operator secret')
  }
  const days = Number(new URL(request.url).searchParams.get('days') ?? '14')
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    return errorResponse('INVALID_INPUT', 'days must be a whole number from 1 to 366')
  }
  const now = issuer.now()
  const range = { since: usageDay(now - (days - 1) * DAY_MS), until: usageDay(now) }
  const report = await issuer.legacy.usage.report(range)
  return Response.json({ range, ...report }, { headers: { 'cache-control': 'no-store' } })
}
