import { call } from './fixtures.ts'
import type { BenchUser } from './fixtures.ts'

/** D1 round trips per operation: deterministic, from the counting wrapper on the D1 binding. */
export type RoundTrips = Record<'login' | 'authed' | 'refresh' | 'logout', number>

/**
 * Each operation once over HTTP, alone (no load running), reading the worker's counter before
 * and after. The same count test/worker/store/round-trips.test.ts asserts, here over the wire.
 */
export async function countRoundTrips(issuer: URL, user: BenchUser): Promise<RoundTrips> {
  const counted = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
    const before = (await call(issuer, '/bench/round-trips')).roundTrips
    const result = await run()
    return [result, (await call(issuer, '/bench/round-trips')).roundTrips - before]
  }
  const post = (path: string, body: unknown, token?: string) =>
    call(issuer, path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
  const credentials = { email: user.email, password: user.password }
  const [login, loginTrips] = await counted(() => post('/trpc/auth.login', credentials))
  const first = login.result.data
  const [, authedTrips] = await counted(() =>
    call(issuer, '/trpc/auth.me', { headers: { authorization: `Bearer ${first.accessToken}` } }),
  )
  const [refreshed, refreshTrips] = await counted(() =>
    post('/trpc/auth.refresh', { refreshToken: first.refreshToken }),
  )
  const [, logoutTrips] = await counted(() =>
    post('/trpc/auth.logout', {}, refreshed.result.data.accessToken),
  )
  return { login: loginTrips, authed: authedTrips, refresh: refreshTrips, logout: logoutTrips }
}
