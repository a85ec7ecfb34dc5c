import { afterAll, beforeAll, expect, vi } from 'vitest'
import { env, exports } from 'cloudflare:workers'
import { base64url, decodeJwt, importJWK } from 'jose'
import { createTestIssuer, failure, login, registerUser, send } from '../helpers/issuer.ts'
import type { CallResult, TestIssuer, TokenPairBody } from '../helpers/issuer.ts'

/** The deployed worker entry (`worker/index.ts`), with the configuration from `wrangler.toml`. */
export const worker = exports.default as unknown as { fetch(request: Request): Promise<Response> }

export type PrivateJwk = JsonWebKey & { kid: string; alg: string; status?: string }

/** The issuer's real private keys: forging with them is how claim checks are tested. */
export const realKeys: PrivateJwk[] = JSON.parse(env.SIGNING_KEYS).keys

export function realKey(alg: 'ES256' | 'EdDSA' | 'RS256'): PrivateJwk {
  return realKeys.find((key) => key.alg === alg && (key.status ?? 'current') === 'current')!
}

const SIGN_PARAMS: Record<string, SubtleCryptoSignAlgorithm> = {
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
  PS256: { name: 'RSA-PSS', saltLength: 32 },
  HS256: { name: 'HMAC' },
}

export const encode = (value: unknown) =>
  base64url.encode(typeof value === 'string' ? value : JSON.stringify(value))

/**
 * A compact JWS over any header and payload (objects, or raw strings sent byte for byte), signed
 * with `key` under the WebCrypto algorithm for `signAs`: what an attacker holding that key sends.
 */
export async function forge(
  header: unknown,
  payload: unknown,
  key: CryptoKey,
  signAs: keyof typeof SIGN_PARAMS,
): Promise<string> {
  const input = `${encode(header)}.${encode(payload)}`
  const data = new TextEncoder().encode(input)
  const signature = await crypto.subtle.sign(SIGN_PARAMS[signAs]!, key, data)
  return `${input}.${base64url.encode(new Uint8Array(signature))}`
}

/** A private key of the ring, imported for `alg` (which may differ from the key's own). */
export async function importReal(jwk: PrivateJwk, alg = jwk.alg): Promise<CryptoKey> {
  const { alg: _alg, status: _status, use: _use, ...bare } = jwk as PrivateJwk & { use?: string }
  return (await importJWK(bare, alg)) as CryptoKey
}

/** An HMAC key from raw bytes, for HS256 forgeries keyed with public material. */
export async function hmacKey(secret: string | Uint8Array): Promise<CryptoKey> {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
}

/** The claims of a victim's access token, to be altered: an accepted forgery acts as the victim. */
export function claimsOf(accessToken: string): Record<string, unknown> {
  return decodeJwt(accessToken) as Record<string, unknown>
}

export type Victim = {
  user: { email: string; password: string; id: string }
  /** In a cookie session, `refreshToken` is the cookie's value (the body never carries it). */
  pair: TokenPairBody
  /** A cookie session's `Cookie` header (`__Secure-rotor-refresh=…`); unset for body sessions. */
  cookie?: string
}

/** The origin `wrangler.toml` lists in `ALLOWED_ORIGINS`: cookie calls come from it. */
export const ALLOWED_ORIGIN = 'http://localhost:8787'

/** The `name=value` part of a response's refresh cookie, or `''` when it set none. */
export const cookieOf = (headers: Headers) => headers.get('set-cookie')?.split(';')[0] ?? ''

/**
 * A registered, signed-in user whose session the attacks try to hurt; with `cookie`, signed in
 * the browser way (cookie delivery from the allowed origin).
 */
export async function createVictim(t: TestIssuer, cookie = false): Promise<Victim> {
  const user = await registerUser(t)
  if (!cookie) {
    const pair = await login(t, user)
    remember(user.password, pair.accessToken, pair.refreshToken)
    return { user, pair }
  }
  const result = await t.call(
    'auth.login',
    { ...user, delivery: 'cookie' },
    { headers: { origin: ALLOWED_ORIGIN } },
  )
  return acceptCookiePair({ user, pair: result.body.result.data }, result)
}

export type Scene = { t: TestIssuer; victim: Victim; attacker: Victim; logs: { lines: string[] } }

/**
 * Every attack file's setup: one issuer, a signed-in victim (and, with `attacker`, a signed-in
 * attacker of their own), and the log watch. `victim` and `attacker` are set before the tests run;
 * with `cookie`, both hold cookie sessions.
 */
export function useScene(
  options: { attacker?: boolean; issuer?: TestIssuer; cookie?: boolean } = {},
): Scene {
  const scene = { t: options.issuer ?? createTestIssuer(), logs: watchLogs() } as Scene
  beforeAll(async () => {
    scene.victim = await createVictim(scene.t, options.cookie)
    if (options.attacker) scene.attacker = await createVictim(scene.t, options.cookie)
  })
  return scene
}

/** Takes a cookie-delivered pair and the cookie it came with into `victim`. */
export function acceptCookiePair(victim: Victim, result: CallResult): Victim {
  const cookie = cookieOf(result.headers)
  const refreshToken = cookie.slice(cookie.indexOf('=') + 1)
  victim.pair = { ...result.body.result.data, refreshToken }
  victim.cookie = cookie
  remember(victim.user.password, victim.pair.accessToken, refreshToken)
  return victim
}

/** `POST /oauth/token` with the refresh grant: the OAuth door to the same rotation. */
export function oauthRefresh(t: TestIssuer, refreshToken: string) {
  return send(t.app, '/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  })
}

/** Another signed-in device of `victim`, its tokens marked as secrets. */
export async function signInAgain(t: TestIssuer, victim: Victim) {
  const pair = await login(t, victim.user)
  remember(pair.accessToken, pair.refreshToken)
  return pair
}

const secrets = new Set<string>()

/** Marks values that must never appear in a log line (tokens, passwords). */
export function remember(...values: (string | undefined)[]): void {
  for (const value of values) if (value) secrets.add(value)
}

/**
 * Captures everything written to the console while the file runs and, after it, asserts that no
 * remembered token or password reached a log line (DESIGN §9).
 */
export function watchLogs(): { lines: string[] } {
  const captured = { lines: [] as string[] }
  beforeAll(() => {
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[level].bind(console)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        captured.lines.push(
          args.map((arg) => (typeof arg === 'string' ? arg : show(arg))).join(' '),
        )
        original(...args)
      })
    }
  })
  afterAll(() => {
    vi.restoreAllMocks()
    for (const line of captured.lines) {
      for (const secret of secrets)
        expect(line, 'a secret reached a log line').not.toContain(secret)
    }
  })
  return captured
}

function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

type SessionRow = { id: string; revoked_at: number | null; flagged_at: number | null }
export type Snapshot = {
  sessions: SessionRow[]
  tokens: { total: number; used: number }
  audit: Record<string, number>
  passwordHash: string
}

/** Everything the attacks could change about a user, read straight from D1. */
export async function snapshot(userId: string): Promise<Snapshot> {
  const [sessions, tokens, audit, user] = await env.DB.batch<Record<string, unknown>>([
    env.DB.prepare(
      'SELECT id, revoked_at, flagged_at FROM sessions WHERE user_id = ? ORDER BY id',
    ).bind(userId),
    env.DB.prepare(
      `SELECT count(*) AS total, count(rt.used_at) AS used FROM refresh_tokens rt
       JOIN sessions s ON s.id = rt.session_id WHERE s.user_id = ?`,
    ).bind(userId),
    env.DB.prepare(
      'SELECT event, count(*) AS n FROM audit_events WHERE user_id = ? GROUP BY event',
    ).bind(userId),
    env.DB.prepare('SELECT password_hash FROM users WHERE id = ?').bind(userId),
  ])
  return {
    sessions: sessions!.results as SessionRow[],
    tokens: tokens!.results[0] as Snapshot['tokens'],
    audit: Object.fromEntries(audit!.results.map((row) => [row.event, row.n])),
    passwordHash: user!.results[0]?.password_hash as string,
  }
}

/** What an attack may legitimately change: extra audit events, sessions it ends, new token rows. */
export type Expected = {
  /** Extra events by name: a count, or `'any'` for failures whose number is not the point. */
  audit?: Record<string, number | 'any'>
  /** Sessions of the user the attack is allowed (and expected) to end. */
  ended?: string[]
  tokens?: { total: number; used: number }
}

/**
 * Asserts the victim came through untouched: the same sessions, refresh-token rows, password hash
 * and audit trail as `before`, bar what `expected` allows; the access token still answers
 * `auth.me`; `sessions.list` shows the same live sessions; and the refresh token still rotates
 * (the victim then holds the rotated pair).
 */
export async function expectIntact(
  t: TestIssuer,
  victim: Victim,
  before: Snapshot,
  expected: Expected = {},
): Promise<void> {
  const after = await snapshot(victim.user.id)
  const audit: Record<string, unknown> = { ...before.audit }
  for (const [event, n] of Object.entries(expected.audit ?? {})) {
    if (n === 'any') {
      if (after.audit[event] !== undefined) audit[event] = expect.any(Number)
    } else {
      audit[event] = ((audit[event] as number | undefined) ?? 0) + n
    }
  }
  expect(after.audit, 'audit trail').toEqual(audit)
  const ended = new Set(expected.ended)
  const sessions = before.sessions.map((row) =>
    ended.has(row.id) ? { ...row, revoked_at: expect.any(Number) } : row,
  )
  expect(after.sessions, 'sessions').toEqual(sessions)
  expect(after.tokens, 'refresh tokens').toEqual({
    total: before.tokens.total + (expected.tokens?.total ?? 0),
    used: before.tokens.used + (expected.tokens?.used ?? 0),
  })
  expect(after.passwordHash, 'password hash').toBe(before.passwordHash)
  const me = await t.call('auth.me', undefined, { token: victim.pair.accessToken })
  expect(me.status, 'victim auth.me').toBe(200)
  expect(me.body.result.data.id).toBe(victim.user.id)
  const list = await t.call('sessions.list', undefined, { token: victim.pair.accessToken })
  const live = after.sessions.filter((row) => row.revoked_at === null).map((row) => row.id)
  expect(list.body.result.data.map((s: { id: string }) => s.id).sort()).toEqual(live.sort())
  if (victim.cookie !== undefined) {
    const headers = { origin: ALLOWED_ORIGIN, cookie: victim.cookie }
    const rotated = await t.call('auth.refresh', {}, { headers })
    expect(rotated.status, 'victim cookie refresh').toBe(200)
    acceptCookiePair(victim, rotated)
    return
  }
  const rotated = await t.call('auth.refresh', { refreshToken: victim.pair.refreshToken })
  expect(rotated.status, 'victim refresh').toBe(200)
  victim.pair = rotated.body.result.data
  remember(victim.pair.accessToken, victim.pair.refreshToken)
}

/**
 * Runs an attack and asserts it was refused with `refusal` and left the victim intact (bar what
 * `expected` allows); returns the response for any further checks.
 */
export async function expectRefusal(
  t: TestIssuer,
  victim: Victim,
  attack: () => Promise<CallResult>,
  refusal: { status: number; reason: string },
  expected: Expected = {},
): Promise<CallResult> {
  const before = await snapshot(victim.user.id)
  const result = await attack()
  expect(failure(result)).toEqual(refusal)
  await expectIntact(t, victim, before, expected)
  return result
}

/** A bearer-authenticated mutation through the deployed entry: what a forged token can do. */
export function withToken(path: string, token: string, input: unknown = {}) {
  return send(worker, `/trpc/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  })
}

export { createTestIssuer, failure, login, registerUser, send }
export type { CallResult, TestIssuer }
