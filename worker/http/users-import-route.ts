import { RotorError } from '../../contract/index.ts'
import { importUsers } from '../sessions/import-users.ts'
import { adminRefusal } from './admin-secret.ts'
import { errorResponse } from './error-response.ts'
import { readRequestInfo } from './request-info.ts'
import { utf8Request } from './request-body.ts'
import type { Issuer } from '../issuer.ts'

/** An import body's bound: 1,000 lines of a few hundred bytes fit well inside. */
export const MAX_IMPORT_BODY_BYTES = 1024 * 1024

/** JSON Lines has no registered media type; these are the names in use. */
const JSONL_TYPES: ReadonlySet<string> = new Set([
  'application/jsonl',
  'application/x-ndjson',
  'application/x-jsonlines',
  'application/jsonlines',
])

/**
 * `POST /admin/users/import`: a JSONL body of users (README, "Importing users"), for operators
 * only (`Authorization: Bearer <ADMIN_SECRET>`). Answers 200 with the summary and every refused
 * line, since a refused line is the file's fault and the others were imported.
 */
export async function handleUsersImport(issuer: Issuer, request: Request): Promise<Response> {
  const refusal = await adminRefusal(issuer, request, 'Importing users')
  if (refusal) return refusal
  const mediaType = request.headers.get('content-type')?.split(';')[0]!.trim().toLowerCase()
  if (mediaType === undefined || !JSONL_TYPES.has(mediaType)) {
    return errorResponse(
      'INVALID_INPUT',
      'Send the users as JSON Lines (content-type: application/x-ndjson)',
      {},
      'UNSUPPORTED_MEDIA_TYPE',
    )
  }
  const checked = await utf8Request(request)
  if (checked instanceof Response) return checked
  try {
    // Already checked as UTF-8; `.text()` would make workerd warn about a non-text media type.
    const body = new TextDecoder().decode(await checked.arrayBuffer())
    const report = await importUsers(issuer, body, readRequestInfo(request))
    return Response.json(report, { headers: { 'cache-control': 'no-store' } })
  } catch (error) {
    if (error instanceof RotorError) return errorResponse(error.reason, error.message)
    throw error
  }
}
