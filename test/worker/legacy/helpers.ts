import { env } from 'cloudflare:workers'
import { SignJWT } from 'jose'
import type { JWTPayload } from 'jose'
import { createTestIssuer, registerUser } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

/** The fleet's shared HS256 secret in these tests. */
export const LEGACY_SECRET = 'legacy-fleet-secret-0123456789abcdef'
export const SUNSET = 'Wed, 30 Jun 2027 00:00:00 GMT'
export const DAY = 86_400

export type Mode = 'off' | 'monitor' | 'warn' | 'enforce'

/** An issuer in `mode` with the HS256 legacy secret, a sunset date and a 30-day max age. */
export function legacyIssuer(mode: Mode, vars: Record<string, string> = {}): TestIssuer {
  return createTestIssuer({
    LEGACY_MODE: mode,
    LEGACY_JWT_SECRET: LEGACY_SECRET,
    LEGACY_SUNSET: SUNSET,
    LEGACY_MAX_AGE: String(30 * DAY),
    ...vars,
  })
}

/**
 * A legacy token as the old system minted them: HS256, no `exp`, no `kid`, `iat` set to
 * `issuedAt` (epoch seconds) unless it is `null`.
 */
export async function legacyToken(
  sub: string,
  options: {
    issuedAt?: number | null
    secret?: string
    header?: Record<string, unknown>
    claims?: JWTPayload
  } = {},
): Promise<string> {
  const payload: JWTPayload = { sub, ...options.claims }
  if (options.issuedAt !== null) payload.iat = options.issuedAt ?? Math.floor(Date.now() / 1000)
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...options.header })
    .sign(new TextEncoder().encode(options.secret ?? LEGACY_SECRET))
}

/** A registered user and a legacy token for them, issued `ageSeconds` before the issuer's now. */
export async function legacyUser(t: TestIssuer, ageSeconds = DAY) {
  const user = await registerUser(t)
  const issuedAt = Math.floor(t.issuer.now() / 1000) - ageSeconds
  return { user, token: await legacyToken(user.id, { issuedAt }) }
}

export type UsageRow = {
  day: string
  user_agent: string
  app_version: string
  uses: number
  rejected: number
  exchanges: number
}

/** Every usage row of one user (user ids are fresh per test, so rows never mix). */
export async function usageOf(userId: string): Promise<UsageRow[]> {
  const { results } = await env.DB.prepare(
    'SELECT day, user_agent, app_version, uses, rejected, exchanges FROM legacy_usage WHERE user_id = ? ORDER BY day, user_agent, app_version',
  )
    .bind(userId)
    .all<UsageRow>()
  return results
}
