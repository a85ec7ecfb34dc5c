/** Who is calling, as far as the request can say; for audit rows, limits and anomaly flags. */
export type RequestInfo = {
  ip: string | null
  country: string | null
  userAgent: string | null
  /** The request's `cf-ray`, or an id generated for it: audit rows and log lines name it. */
  requestId: string
}
