import { BENCH_USER_AGENT } from './constants.ts'

export type BenchUser = { id: string; email: string; password: string }
export type SessionPair = { accessToken: string; refreshToken: string }

export const ALGS = ['ES256', 'EdDSA', 'RS256'] as const
export type Alg = (typeof ALGS)[number]

/** A request from the harness itself (setup and sequential floors), not from the load generator. */
export async function call(base: URL, path: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(new URL(path, base), {
    ...init,
    headers: {
      'content-type': 'application/json',
      'user-agent': BENCH_USER_AGENT,
      ...init.headers,
    },
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`bench: ${path} answered ${response.status}: ${text}`)
  return JSON.parse(text)
}

/** One real registration (one password hash): the user every session belongs to. */
export async function registerUser(issuer: URL): Promise<BenchUser> {
  const user = { email: `bench-${Date.now()}@bench.test`, password: 'correct horse battery staple' }
  const body = await call(issuer, '/trpc/auth.register', {
    method: 'POST',
    body: JSON.stringify(user),
  })
  return { ...user, id: body.result.data.user.id }
}

/** Access tokens of one algorithm, signed by the worker's own code, `count` distinct. */
export async function mintAccessTokens(issuer: URL, alg: Alg, count: number): Promise<string[]> {
  const tokens: string[] = []
  while (tokens.length < count) {
    const n = Math.min(1000, count - tokens.length)
    const body = await call(issuer, `/bench/access-tokens?alg=${alg}&n=${n}`, { method: 'POST' })
    tokens.push(...body.tokens)
  }
  return tokens
}

/** ES256 access tokens whose `status` names an index the feed does not list (feed mode). */
export async function mintFeedTokens(issuer: URL, count: number): Promise<string[]> {
  const body = await call(issuer, `/bench/feed-tokens?n=${count}`, { method: 'POST' })
  return body.tokens
}

/** Sessions started as login starts them (minus the password hash). */
export async function startSessions(
  issuer: URL,
  user: BenchUser,
  count: number,
): Promise<SessionPair[]> {
  const pairs: SessionPair[] = []
  while (pairs.length < count) {
    const n = Math.min(500, count - pairs.length)
    const body = await call(issuer, `/bench/sessions?n=${n}`, {
      method: 'POST',
      body: JSON.stringify({ id: user.id, email: user.email }),
    })
    pairs.push(...body.pairs)
  }
  return pairs
}
