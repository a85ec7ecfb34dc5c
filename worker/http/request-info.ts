import { requestIdOf } from './request-id.ts'
import type { RequestInfo } from '../sessions/request-info.ts'

const MAX_USER_AGENT = 256

/** Reads `CF-Connecting-IP`, `request.cf.country` and the ray id, which Cloudflare sets and clients cannot. */
export function readRequestInfo(request: Request): RequestInfo {
  const userAgent = request.headers.get('user-agent')
  const country = (request as { cf?: { country?: unknown } }).cf?.country
  return {
    ip: request.headers.get('cf-connecting-ip'),
    country: typeof country === 'string' ? country.slice(0, 2) : null,
    userAgent: userAgent === null ? null : userAgent.slice(0, MAX_USER_AGENT),
    requestId: requestIdOf(request),
  }
}
