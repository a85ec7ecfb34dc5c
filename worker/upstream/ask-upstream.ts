import { parseUpstreamUser, readBoundedText } from './upstream-answer.ts'
import type { UpstreamSettings } from '../config/upstream-config.ts'
import type { UpstreamUser } from './upstream-answer.ts'

export type { UpstreamUser }

/**
 * What the password service said about an email and password (README, "Lazy migration"):
 * - `accepted`: 200 with a well-formed user;
 * - `refused`: 401, 403 or 404 — wrong password or unknown there, which Rotor does not tell apart;
 * - `unavailable`: anything else — another status, a redirect, a malformed, oversized or
 *   non-UTF-8 body, a network error or no complete answer within the timeout. `why` is a short
 *   tag for the operator's log line; it never holds the body.
 */
export type UpstreamVerdict =
  | { kind: 'accepted'; user: UpstreamUser }
  | { kind: 'refused' }
  | { kind: 'unavailable'; why: string }

const REFUSED = new Set([401, 403, 404])

/**
 * POSTs `{ email, password }` as JSON with `Authorization: Bearer <secret>` and judges the answer.
 * The whole exchange, body included, is bounded by `settings.timeoutMs`. Never throws.
 */
export async function askUpstream(
  settings: UpstreamSettings,
  credentials: { email: string; password: string },
): Promise<UpstreamVerdict> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  // A race as well as the signal: a bound worker that never answers must not hold the sign-in.
  const deadline = new Promise<UpstreamVerdict>((resolve) => {
    timer = setTimeout(() => {
      controller.abort()
      resolve({ kind: 'unavailable', why: 'timeout' })
    }, settings.timeoutMs)
  })
  try {
    return await Promise.race([exchange(settings, credentials, controller.signal), deadline])
  } finally {
    clearTimeout(timer)
  }
}

async function exchange(
  settings: UpstreamSettings,
  credentials: { email: string; password: string },
  signal: AbortSignal,
): Promise<UpstreamVerdict> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  }
  if (settings.secret !== undefined) headers['authorization'] = `Bearer ${settings.secret}`
  const init: RequestInit = {
    method: 'POST',
    headers,
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
    redirect: 'manual',
    signal,
  }
  let response: Response
  try {
    response = await (settings.binding
      ? settings.binding.fetch(settings.url, init)
      : fetch(settings.url, init))
  } catch {
    return unavailable(signal.aborted ? 'timeout' : 'network')
  }
  try {
    if (response.status !== 200) {
      await response.body?.cancel()
      return REFUSED.has(response.status)
        ? { kind: 'refused' }
        : unavailable(`status-${response.status}`)
    }
    const text = await readBoundedText(response)
    if (text === undefined) return unavailable('body-too-large-or-not-utf8')
    const parsed = parseUpstreamUser(text, credentials.email)
    return parsed.ok ? { kind: 'accepted', user: parsed.user } : unavailable(parsed.why)
  } catch {
    return unavailable(signal.aborted ? 'timeout' : 'network')
  }
}

function unavailable(why: string): UpstreamVerdict {
  return { kind: 'unavailable', why }
}
