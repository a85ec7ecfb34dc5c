/** Who is calling, as far as the request can say; for audit rows, limits and anomaly flags. */
export type RequestInfo = {
  ip: string | null
  country: string | null
  userAgent: string | null
}
