import { UnsecuredJWT, decodeJwt } from 'jose'
import { createFakeWire } from './fake-wire.ts'
import type { Call, FakeWire, Outcome } from './fake-wire.ts'

/**
 * A scripted stand-in for the issuer, small enough to read in one go: the client's `fetch` seam
 * speaks to it in tRPC's wire format. It keeps the rules the client depends on (DESIGN §2–§4):
 * one-time refresh tokens with a grace window answered by the same successor, family revocation
 * on reuse, idle and absolute lifetimes, sessions checked on every authenticated call.
 */
export type FakeRotorOptions = {
  accessTokenTtl?: number
  refreshIdleTtl?: number
  sessionMaxAge?: number
  reuseGrace?: number
}

type Session = {
  id: string
  userId: string
  email: string
  idleEnd: number
  absoluteEnd: number
  revoked: boolean
}
type RefreshRecord = { sessionId: string; usedAt: number | null; successor: string | null }

export type FakeRotor = FakeWire & {
  url: string
  now(): number
  advance(seconds: number): void
  addUser(email: string, password: string): void
  revokeSession(sessionId: string): void
  /** Every access token issued so far stops verifying, as after an emergency key rotation. */
  invalidateAccessTokens(): void
  /** Refresh requests the client sent, failed ones included. */
  refreshCount(): number
  /** A refresh made outside the client, as a thief holding a copied token would. */
  refreshDirectly(token: string): Outcome
  /** Refresh tokens the server has handed out, oldest first (body delivery only shows them). */
  issuedRefreshTokens: string[]
}

const STATUS: Record<string, number> = { RATE_LIMITED: 429, INVALID_INPUT: 400 }
const fail = (reason: string): Outcome => ({ ok: false, reason, status: STATUS[reason] ?? 401 })

export function createFakeRotor(options: FakeRotorOptions = {}): FakeRotor {
  const ttl = options.accessTokenTtl ?? 900
  const idleTtl = options.refreshIdleTtl ?? 604_800
  const maxAge = options.sessionMaxAge ?? 2_592_000
  const grace = options.reuseGrace ?? 10
  let now = Date.UTC(2030, 0, 1, 12)
  let counter = 0
  const users = new Map<string, { id: string; password: string }>()
  const sessions = new Map<string, Session>()
  const refreshTokens = new Map<string, RefreshRecord>()
  const issuedRefreshTokens: string[] = []
  const issuedAccessTokens = new Set<string>()
  const seconds = () => Math.floor(now / 1000)

  const live = (session: Session | undefined): Outcome | undefined => {
    if (!session || session.revoked) return fail('SESSION_REVOKED')
    if (now >= Math.min(session.idleEnd, session.absoluteEnd)) return fail('SESSION_EXPIRED')
    return undefined
  }

  const issuePair = (session: Session, delivery: unknown, refreshToken: string): Outcome => {
    const exp = Math.min(seconds() + ttl, Math.floor(session.absoluteEnd / 1000))
    const accessToken = new UnsecuredJWT({ sid: session.id, jti: `at-${++counter}` })
      .setSubject(session.userId)
      .setIssuedAt(seconds())
      .setExpirationTime(exp)
      .encode()
    issuedAccessTokens.add(accessToken)
    const pair = {
      accessToken,
      accessTokenExpiresAt: exp,
      refreshTokenExpiresAt: Math.floor(session.idleEnd / 1000),
      sessionId: session.id,
      user: { id: session.userId, email: session.email },
    }
    if (delivery === 'cookie') return { ok: true, data: pair, cookie: refreshToken }
    issuedRefreshTokens.push(refreshToken)
    return { ok: true, data: { ...pair, refreshToken } }
  }

  const newRefreshToken = (sessionId: string) => {
    const token = `rt-${++counter}-${crypto.randomUUID()}`
    refreshTokens.set(token, { sessionId, usedAt: null, successor: null })
    return token
  }

  const refresh = (token: unknown, delivery: 'cookie' | 'body'): Outcome => {
    const record = typeof token === 'string' ? refreshTokens.get(token) : undefined
    if (!record) return fail(token === undefined ? 'TOKEN_MISSING' : 'REFRESH_TOKEN_INVALID')
    const session = sessions.get(record.sessionId)!
    const dead = live(session)
    if (dead) return dead
    if (record.usedAt === null) {
      record.usedAt = now
      record.successor = newRefreshToken(session.id)
      session.idleEnd = Math.min(now + idleTtl * 1000, session.absoluteEnd)
      return issuePair(session, delivery, record.successor)
    }
    const successorUnused = refreshTokens.get(record.successor!)?.usedAt === null
    if (successorUnused && now - record.usedAt <= grace * 1000)
      return issuePair(session, delivery, record.successor!)
    session.revoked = true
    return fail('REFRESH_TOKEN_REUSED')
  }

  const authenticate = (authorization: string | null): Session | Outcome => {
    const token = authorization?.replace(/^Bearer /, '')
    if (!token) return fail('TOKEN_MISSING')
    if (!issuedAccessTokens.has(token)) return fail('TOKEN_INVALID')
    const claims = decodeJwt(token)
    if ((claims.exp ?? 0) * 1000 <= now) return fail('TOKEN_EXPIRED')
    const session = sessions.get(String(claims.sid))
    return live(session) ?? session!
  }

  const handle = (call: Call): Outcome => {
    const input = (call.input ?? {}) as Record<string, unknown>
    const delivery = input['refreshToken'] === undefined ? 'cookie' : 'body'
    if (call.path === 'auth.login') {
      const user = users.get(String(input['email']))
      if (!user || user.password !== input['password']) return fail('INVALID_CREDENTIALS')
      const id = `s-${++counter}`
      const session = {
        id,
        userId: user.id,
        email: String(input['email']),
        revoked: false,
        idleEnd: now + idleTtl * 1000,
        absoluteEnd: now + maxAge * 1000,
      }
      sessions.set(id, session)
      return issuePair(session, input['delivery'] ?? 'body', newRefreshToken(id))
    }
    if (call.path === 'auth.refresh') {
      const outcome = refresh(input['refreshToken'] ?? call.cookie ?? undefined, delivery)
      return !outcome.ok && delivery === 'cookie' && outcome.reason !== 'TOKEN_MISSING'
        ? { ...outcome, cookie: null }
        : outcome
    }
    if (call.path === 'auth.logout') {
      // As worker/sessions/sign-out.ts: a live bearer, else any refresh token of the family.
      const token = input['refreshToken'] ?? call.cookie ?? undefined
      const bearer = authenticate(call.authorization)
      if (!('id' in bearer) && token === undefined) return bearer
      const found = typeof token === 'string' ? refreshTokens.get(token) : undefined
      const session = 'id' in bearer ? bearer : found && sessions.get(found.sessionId)
      if (!session) return fail('REFRESH_TOKEN_INVALID')
      session.revoked = true
      return { ok: true, data: { ok: true }, cookie: null }
    }
    const auth = authenticate(call.authorization)
    if (!('id' in auth)) return auth
    if (call.path === 'auth.me') return { ok: true, data: { id: auth.userId, email: auth.email } }
    if (call.path === 'sessions.list') {
      const mine = [...sessions.values()].filter((s) => s.userId === auth.userId && !live(s))
      return { ok: true, data: mine.map((s) => ({ id: s.id, current: s.id === auth.id })) }
    }
    if (call.path === 'auth.logoutAll') {
      const mine = [...sessions.values()].filter((s) => s.userId === auth.userId && !s.revoked)
      const revoked = mine.filter((s) => !(input['keepCurrent'] && s.id === auth.id))
      for (const s of revoked) s.revoked = true
      return { ok: true, data: { ok: true, revoked: revoked.length } }
    }
    return { ok: false, reason: 'NOT_FOUND', status: 404 }
  }

  const wire = createFakeWire(handle, () => now)
  return {
    ...wire,
    url: 'https://rotor.test/trpc',
    issuedRefreshTokens,
    now: () => now,
    advance(by) {
      now += by * 1000
    },
    addUser(email, password) {
      users.set(email, { id: `u-${++counter}`, password })
    },
    revokeSession(id) {
      sessions.get(id)!.revoked = true
    },
    invalidateAccessTokens: () => issuedAccessTokens.clear(),
    refreshCount: () => wire.requests.filter((r) => r.paths.includes('auth.refresh')).length,
    refreshDirectly: (token) => refresh(token, 'body'),
  }
}
