import { readRequestInfo } from '../sessions/request-info.ts'
import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'

/** Per-call context: the issuer, the request's headers, and headers to add to the response. */
export type Context = {
  issuer: Issuer
  headers: Headers
  resHeaders: Headers
  info: RequestInfo
}

export function createContext(issuer: Issuer, req: Request, resHeaders: Headers): Context {
  return { issuer, headers: req.headers, resHeaders, info: readRequestInfo(req) }
}
