import type { ServerClock } from './server-clock.ts'
import type { Delivery, FetchLike } from './types.ts'

export type RotorFetchOptions = {
  fetch: FetchLike
  delivery: Delivery
  now: () => number
  clock: ServerClock
}

/** The `(url, init)` function tRPC's HTTP links call; they pass a string URL and plain init. */
export type TrpcFetch = (
  url: unknown,
  init?: { method?: string; headers?: unknown; body?: unknown; signal?: AbortSignal | null },
) => Promise<Response>

/**
 * The fetch every request to the issuer goes through. In cookie mode it sends credentials, without
 * which a browser neither sends nor stores the refresh cookie cross-origin; and it reads each
 * response's `Date` to keep the server clock current (cross-origin pages see it only when the
 * issuer lists it in `Access-Control-Expose-Headers`; the token's `iat` covers them otherwise).
 */
export function createRotorFetch(options: RotorFetchOptions): TrpcFetch {
  const { fetch, delivery, now, clock } = options
  return async (url, init) => {
    const sentAt = now()
    const response = await fetch(String(url), {
      method: init?.method,
      // tRPC's links pass plain header objects, string bodies (JSON) and, maybe, a signal.
      headers: init?.headers as Record<string, string> | undefined,
      body: init?.body as string | undefined,
      signal: init?.signal ?? undefined,
      // Only in cookie mode: Cloudflare Workers' fetch rejects `credentials` it does not support.
      ...(delivery === 'cookie' ? { credentials: 'include' as const } : {}),
    })
    clock.observeDate(response.headers.get('date'), { sentAt, receivedAt: now() })
    return response
  }
}

/** The platform's fetch, looked up at call time so a polyfill installed later still counts. */
export const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init)
