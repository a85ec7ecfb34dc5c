import type { Issuer } from '../issuer.ts'
import type { RequestInfo } from '../sessions/request-info.ts'
import type { LegacyClient } from '../legacy/legacy-client.ts'

/**
 * Per-call context: the issuer, the request's headers, headers to add to the response, and who
 * is calling, as audit rows (`info`) and legacy usage counts (`legacyClient`) record it. Built by
 * `http/trpc-context.ts`.
 */
export type Context = {
  issuer: Issuer
  headers: Headers
  resHeaders: Headers
  info: RequestInfo
  legacyClient: LegacyClient
}
