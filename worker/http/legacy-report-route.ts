import { MAX_REPORT_DAYS, lastDays } from '../legacy/report-range.ts'
import { bearerChallenge } from '../../verify/bearer-challenge.ts'
import { carriesSecret } from './caller-secret.ts'
import { errorResponse } from './error-response.ts'
import type { Issuer } from '../issuer.ts'

/**
 * `GET /admin/legacy-report?days=N`: the `npm run legacy:report` table as JSON, for operators only
 * (`Authorization: Bearer <ADMIN_SECRET>`; refused for everyone when the secret is unset).
 */
export async function handleLegacyReport(issuer: Issuer, request: Request): Promise<Response> {
  const authorization = request.headers.get('authorization')
  if (!(await carriesSecret(authorization, issuer.adminSecret))) {
    const challenge = bearerChallenge('TOKEN_INVALID', { sentToken: authorization !== null })
    return errorResponse('TOKEN_INVALID', 'This report needs the operator secret', {
      'www-authenticate': challenge,
    })
  }
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
