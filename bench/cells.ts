import { BENCH_USER_AGENT } from './constants.ts'
import { ALGS } from './fixtures.ts'
import type { Alg, BenchUser } from './fixtures.ts'
import type { LoadSpec } from './load-protocol.ts'
import type { Cell } from './matrix.ts'

export type CellContext = {
  issuer: URL
  resource: URL
  user: BenchUser
  /** One access token per algorithm, reused by every request (the verifier's normal case). */
  reused: Record<Alg, string>
  /** An access token of a live session on the issuer (signed with SIGNING_ALG, ES256). */
  sessionToken: string
  /** An ES256 access token whose `status` names an index the feed does not list, reused. */
  feedToken: string
  /** Pool names the load generator already holds: `unique-<alg>` and `refresh-seeds`. */
  uniquePool: (alg: Alg) => string
  refreshPool: string
}

const JSON_HEADERS = { 'user-agent': BENCH_USER_AGENT, 'content-type': 'application/json' }

function get(base: URL, path: string, extra: Partial<LoadSpec> = {}) {
  return (connections: number, duration: number): LoadSpec => ({
    url: new URL(path, base).href,
    connections,
    duration,
    ...extra,
    headers: { 'user-agent': BENCH_USER_AGENT, ...extra.headers },
  })
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

/** (1) The verifier in each mode against the resource worker's bare route. */
export function verifierCells(ctx: CellContext): Cell[] {
  const whoami = (extra: Partial<LoadSpec>) => get(ctx.resource, '/stateless/whoami', extra)
  return [
    { key: 'verify.bare', label: 'resource bare (/healthz)', spec: get(ctx.resource, '/healthz') },
    ...ALGS.map((alg) => ({
      key: `verify.reused.${alg}`,
      label: `verify reused ${alg}`,
      spec: whoami(bearer(ctx.reused[alg])),
    })),
    ...ALGS.map((alg) => ({
      key: `verify.unique.${alg}`,
      label: `verify unique ${alg}`,
      spec: whoami({ bearerPool: ctx.uniquePool(alg) }),
    })),
    ...verifyInRequestCells(ctx),
    {
      // Feed mode: stateless plus one bit of the feed held in memory, refreshed in the background.
      key: 'verify.feed.ES256',
      label: 'verify feed ES256 (reused)',
      spec: get(ctx.resource, '/feed/whoami', bearer(ctx.feedToken)),
    },
    {
      key: 'verify.strict.ES256',
      label: 'verify strict ES256 (reused)',
      spec: get(ctx.resource, '/strict/whoami', bearer(ctx.sessionToken)),
    },
  ]
}

/**
 * One verification inside a request under load, against none: the crypto floor's tight loop of
 * hundreds runs with warm caches, while a real request does one between everything else.
 */
function verifyInRequestCells(ctx: CellContext): Cell[] {
  const verifying = (n: number, alg: Alg) => get(ctx.issuer, `/bench/verify?alg=${alg}&n=${n}`)
  return [
    {
      key: 'verify.in-request.none',
      label: 'verify none, in a request',
      spec: verifying(0, 'ES256'),
      connections: [16],
    },
    ...ALGS.map((alg) => ({
      key: `verify.in-request.${alg}`,
      label: `verify one ${alg}, in a request`,
      spec: verifying(1, alg),
      connections: [16],
    })),
  ]
}

/** (2) and (3): the issuer's bare route, an authed procedure, refresh and its floor, login. */
export function issuerCells(ctx: CellContext): Cell[] {
  const post = (path: string, extra: Partial<LoadSpec>) =>
    get(ctx.issuer, path, { method: 'POST', ...extra, headers: JSON_HEADERS })
  const login = JSON.stringify({ email: ctx.user.email, password: ctx.user.password })
  return [
    { key: 'issuer.bare', label: 'issuer bare (/healthz)', spec: get(ctx.issuer, '/healthz') },
    meCell(ctx),
    {
      // What the framework costs: a tRPC call through every middleware, refused on the token's
      // shape before any D1 or crypto work.
      key: 'issuer.trpc-floor',
      label: 'tRPC call refused before D1',
      spec: post('/trpc/auth.refresh', {
        body: JSON.stringify({ refreshToken: 'not-a-token' }),
        expectStatus: 401,
      }),
    },
    {
      key: 'issuer.refresh-floor',
      label: 'refresh floor (1 D1 batch + 1 sign)',
      spec: post('/bench/refresh-floor', {
        body: JSON.stringify({ refreshToken: 'x'.repeat(43) }),
      }),
    },
    refreshCell(ctx),
    {
      key: 'issuer.login',
      label: 'auth.login',
      spec: post('/trpc/auth.login', { body: login, timeout: 30 }),
      // 16 logins at once are 16 argon2id runs of 19 MiB sharing two cores: the first answer takes
      // longer than a run. Four at once keep the hash the bottleneck and still answer in a run.
      connections: [4],
      minDuration: 4,
      noWarmup: true,
    },
  ]
}

export function meCell(ctx: Pick<CellContext, 'issuer' | 'sessionToken'>): Cell {
  return {
    key: 'issuer.me',
    label: 'auth.me',
    spec: get(ctx.issuer, '/trpc/auth.me', bearer(ctx.sessionToken)),
  }
}

export function refreshCell(ctx: Pick<CellContext, 'issuer' | 'refreshPool'>): Cell {
  return {
    key: 'issuer.refresh',
    label: 'auth.refresh',
    spec: get(ctx.issuer, '/trpc/auth.refresh', {
      method: 'POST',
      headers: JSON_HEADERS,
      refreshChain: ctx.refreshPool,
    }),
  }
}

/** The soak's constant load: cache churn in the verifier (unique tokens) and an authed call. */
export function soakCells(ctx: CellContext): Cell[] {
  const keep = new Set(['verify.unique.ES256', 'issuer.me'])
  return [...verifierCells(ctx), ...issuerCells(ctx)].filter((cell) => keep.has(cell.key))
}
