import { APP_VERSION_HEADER } from '../../contract/index.ts'
import { legacyClient } from '../legacy/legacy-client.ts'
import { readRequestInfo } from './request-info.ts'
import type { Issuer } from '../issuer.ts'
import type { Context } from '../trpc/context.ts'

/** The tRPC context of one request: what procedures read from it, as plain values. */
export function createContext(issuer: Issuer, req: Request, resHeaders: Headers): Context {
  const { headers } = req
  return {
    issuer,
    headers,
    resHeaders,
    info: readRequestInfo(req),
    legacyClient: legacyClient(headers.get('user-agent'), headers.get(APP_VERSION_HEADER)),
  }
}
