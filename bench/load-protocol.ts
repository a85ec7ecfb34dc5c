/** One load-generator run against one URL at fixed concurrency and duration. */
export type LoadSpec = {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  connections: number
  /** Seconds. */
  duration: number
  /** Seconds before a request counts as timed out. @default 10 */
  timeout?: number
  /** Name of a pool of access tokens sent as `Authorization: Bearer`, in rotation. */
  bearerPool?: string
  /** Name of a pool of refresh tokens: each request spends one, each 200 gives the next. */
  refreshChain?: string
  /** The status a served request answers with, for a route measured by its refusal. @default 2xx */
  expectStatus?: number
}

export type LoadResult = {
  /** Responses with the expected status (2xx by default); the only ones whose latency counts. */
  ok: number
  total: number
  statuses: Record<string, number>
  errors: number
  timeouts: number
  /** Wall-clock seconds of the run as the load generator saw it. */
  seconds: number
  /** Milliseconds, from every 2xx response's time (not autocannon's whole-ms histogram). */
  p50: number | null
  p99: number | null
}

export type ToLoad =
  { type: 'pool'; name: string; values: string[] } | { type: 'run'; id: number; specs: LoadSpec[] }

export type FromLoad = { id: number; results: LoadResult[] }
