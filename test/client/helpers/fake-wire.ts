/**
 * The HTTP side of the fake issuer: tRPC's wire format (plain JSON, no transformer, batches as
 * `?batch=1` with `{ "0": … }` inputs), the issuer's batching rules, a browser's cookie jar, and
 * scripted faults. What it accepts and refuses follows worker/http/trpc-route.ts.
 */
import { MAX_BATCH_SIZE, UNBATCHABLE_PROCEDURES } from '../../../contract/index.ts'

export type Call = {
  path: string
  input: unknown
  authorization: string | null
  cookie: string | null
}

/** A procedure's answer; `cookie` replaces the browser's refresh cookie (`null` clears it). */
export type Outcome =
  | { ok: true; data: unknown; cookie?: string | null }
  | { ok: false; reason: string; status: number; cookie?: null }

/** `lost`: the server handles the request but the response never arrives. */
export type Fault =
  'network' | 'lost' | 'timeout' | { status: number; reason?: string; retryAfter?: number }

export type RequestRecord = {
  paths: string[]
  method: string
  authorization: string | null
  credentials: string | undefined
  body: string | undefined
}

const QUERIES = new Set(['auth.me', 'sessions.list'])

export type FakeWire = {
  fetch: (url: string, init?: RequestInit) => Promise<Response>
  requests: RequestRecord[]
  /** Queues a fault for the next request whose first procedure is `path`. */
  fault(path: string, fault: Fault): void
  /** The browser's cookie jar (one per fake: the tabs of one browser share it). */
  jar: { cookie: string | null }
}

export function createFakeWire(handle: (call: Call) => Outcome, serverNow: () => number): FakeWire {
  const requests: RequestRecord[] = []
  const faults = new Map<string, Fault[]>()
  const jar: { cookie: string | null } = { cookie: null }

  const respond = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: {
        'content-type': 'application/json',
        date: new Date(serverNow()).toUTCString(),
        ...headers,
      },
    })
  const errorBody = (reason: string, status: number) => ({
    error: {
      message: reason,
      code: -32000 - status,
      data: { code: reason, httpStatus: status, reason },
    },
  })

  const fetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const parsed = new URL(url)
    const paths = decodeURIComponent(parsed.pathname.replace(/^\/trpc\//, '')).split(',')
    const headers = new Headers(init.headers)
    const body = typeof init.body === 'string' ? init.body : undefined
    const credentials = (init as { credentials?: string }).credentials
    requests.push({
      paths,
      method: init.method ?? 'GET',
      authorization: headers.get('authorization'),
      credentials,
      body,
    })

    const fault = faults.get(paths[0]!)?.shift()
    if (fault === 'network') throw new TypeError('fetch failed')
    if (fault === 'timeout')
      return new Promise((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )
    if (typeof fault === 'object') {
      const extra: Record<string, string> =
        fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }
      return respond(
        fault.status,
        errorBody(
          fault.reason ?? (fault.status === 429 ? 'RATE_LIMITED' : 'INTERNAL_ERROR'),
          fault.status,
        ),
        extra,
      )
    }
    if (
      paths.length > MAX_BATCH_SIZE ||
      (paths.length > 1 && paths.some((p) => UNBATCHABLE_PROCEDURES.has(p)))
    )
      return respond(400, errorBody('INVALID_INPUT', 400))
    // tRPC answers a query sent by POST, or a mutation by GET, with 405.
    if (paths.some((p) => QUERIES.has(p) !== (init.method === undefined || init.method === 'GET')))
      return respond(405, errorBody('INVALID_INPUT', 405))

    const batch = parsed.searchParams.get('batch') === '1'
    const raw = init.method === 'POST' ? body : (parsed.searchParams.get('input') ?? undefined)
    const inputs = raw === undefined ? {} : JSON.parse(raw)
    // A browser sends the cookie only with `credentials: 'include'` (the page and issuer differ).
    const cookie = credentials === 'include' ? jar.cookie : null
    const outcomes = paths.map((path, i) =>
      handle({
        path,
        input: batch ? inputs[String(i)] : inputs,
        authorization: headers.get('authorization'),
        cookie,
      }),
    )
    // A lost response loses its Set-Cookie too: the browser keeps the cookie it had.
    if (fault === 'lost') throw new TypeError('network connection lost')
    for (const outcome of outcomes) {
      if (outcome.cookie !== undefined && credentials === 'include') jar.cookie = outcome.cookie
    }
    const bodies = outcomes.map((o) =>
      o.ok ? { result: { data: o.data } } : errorBody(o.reason, o.status),
    )
    const statuses = [...new Set(outcomes.map((o) => (o.ok ? 200 : o.status)))]
    const status = statuses.length === 1 ? statuses[0]! : 207
    return respond(status, batch ? bodies : bodies[0])
  }

  return {
    fetch,
    requests,
    jar,
    fault(path, fault) {
      faults.set(path, [...(faults.get(path) ?? []), fault])
    },
  }
}
