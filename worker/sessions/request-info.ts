/** Who is calling, as far as headers can say; used for audit rows and the session list. */
export type RequestInfo = {
  ip: string | null
  userAgent: string | null
}

const MAX_USER_AGENT = 256

export function readRequestInfo(headers: Headers): RequestInfo {
  const userAgent = headers.get('user-agent')
  return {
    ip: headers.get('cf-connecting-ip'),
    userAgent: userAgent === null ? null : userAgent.slice(0, MAX_USER_AGENT),
  }
}
