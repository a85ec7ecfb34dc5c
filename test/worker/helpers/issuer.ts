import { env } from 'cloudflare:workers'
import { createApp } from '../../../worker/app.ts'
import { createIssuer } from '../../../worker/issuer.ts'
import type { Issuer } from '../../../worker/issuer.ts'

export type TestIssuer = {
  issuer: Issuer
  app: ReturnType<typeof createApp>
  /** Moves the issuer's clock forward; nothing sleeps. */
  advance(seconds: number): void
  call: Caller
  /** A raw request to the issuer's app, for the non-tRPC routes. */
  request(path: string, init?: RequestInit): Promise<Response>
}

const QUERIES = new Set(['auth.me', 'sessions.list', 'audit.list', 'mfa.status'])

export type CallResult = { status: number; body: any; headers: Headers }
export type Caller = (
  path: string,
  input?: unknown,
  options?: { token?: string; headers?: Record<string, string>; method?: 'GET' | 'POST' },
) => Promise<CallResult>

/** An issuer on the real local D1 with its own clock and configuration overrides. */
export function createTestIssuer(
  vars: Record<string, string> = {},
  bindings: { DB?: D1Database; UPSTREAM_PASSWORDS?: typeof env.TEST_UPSTREAM } = {},
): TestIssuer {
  let now = Date.now()
  // Tests share one database and one fake IP: limits are lifted unless a test sets them.
  const unlimited = {
    RATE_LIMIT_LOGIN_IP: '100000/60',
    RATE_LIMIT_LOGIN_ACCOUNT: '100000/60',
    RATE_LIMIT_REGISTER_IP: '100000/60',
    RATE_LIMIT_REFRESH_SESSION: '100000/60',
    RATE_LIMIT_REFRESH_IP: '100000/60',
    RATE_LIMIT_EXCHANGE_USER: '100000/60',
    RATE_LIMIT_REVOKE_IP: '100000/60',
    RATE_LIMIT_MFA_IP: '100000/60',
    RATE_LIMIT_MFA_ACCOUNT: '100000/60',
  }
  const issuer = createIssuer({ ...env, ...unlimited, ...vars, ...bindings }, () => now)
  const app = createApp(issuer)
  const call: Caller = async (path, input, options = {}) => {
    const method = options.method ?? (QUERIES.has(path) ? 'GET' : 'POST')
    const headers: Record<string, string> = { ...options.headers }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    let url = `http://localhost/trpc/${path}`
    let body: string | undefined
    if (method === 'GET') {
      if (input !== undefined) url += `?input=${encodeURIComponent(JSON.stringify(input))}`
    } else {
      headers['content-type'] ??= 'application/json'
      body = input === undefined ? undefined : JSON.stringify(input)
    }
    const response = await app.request(url, { method, headers, body })
    const text = await response.text()
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      headers: response.headers,
    }
  }
  return {
    issuer,
    app,
    advance: (seconds) => void (now += seconds * 1000),
    call,
    request: async (path, init) => app.request(`http://localhost${path}`, init),
  }
}

let counter = 0
export const PASSWORD = 'correct horse battery staple'

/** A fresh registered user; emails never collide between tests. */
export async function registerUser(t: TestIssuer, password = PASSWORD) {
  const email = `user-${Date.now()}-${++counter}-${crypto.randomUUID().slice(0, 6)}@example.com`
  const result = await t.call('auth.register', { email, password })
  if (result.status !== 200) throw new Error(`register failed: ${JSON.stringify(result.body)}`)
  return { email, password, id: result.body.result.data.user.id as string }
}

/** A registered user signed in with body delivery; returns the token pair. */
export async function signIn(t: TestIssuer, extra: Record<string, unknown> = {}) {
  const user = await registerUser(t)
  const pair = await login(t, user, extra)
  return { user, pair }
}

/** `auth.me` with an access token. */
export const me = (t: TestIssuer, token: string) => t.call('auth.me', undefined, { token })

/** `auth.refresh` with a refresh token in the body (any value: hostile ones included). */
export const refresh = (t: TestIssuer, refreshToken: unknown) =>
  t.call('auth.refresh', { refreshToken })

export async function login(
  t: TestIssuer,
  user: { email: string; password: string },
  extra: Record<string, unknown> = {},
) {
  const result = await t.call('auth.login', {
    email: user.email,
    password: user.password,
    ...extra,
  })
  if (result.status !== 200) throw new Error(`login failed: ${JSON.stringify(result.body)}`)
  return result.body.result.data as TokenPairBody
}

export type TokenPairBody = {
  accessToken: string
  accessTokenExpiresAt: number
  refreshToken: string
  refreshTokenExpiresAt: number
  sessionId: string
  user: { id: string; email: string }
}

/** The `reason` of a failed call, with its HTTP status. */
export type Fetcher = { fetch(request: Request): Response | Promise<Response> }

/**
 * A request with any raw body, headers and `cf` properties, to the test issuer's app or the
 * deployed entry (`worker`); the body is parsed as JSON when it is JSON.
 */
export async function send(
  target: Fetcher,
  path: string,
  init: RequestInit & { cf?: Record<string, unknown> } = {},
): Promise<CallResult> {
  const response = await target.fetch(new Request(`http://localhost${path}`, init))
  const text = await response.text()
  let body: any = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {}
  return { status: response.status, body, headers: response.headers }
}

export function failure(result: CallResult): { status: number; reason: string } {
  return { status: result.status, reason: result.body?.error?.data?.reason }
}
