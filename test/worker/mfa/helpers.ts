import { env } from 'cloudflare:workers'
import { generateHOTP } from '@oslojs/otp'
import { TOTP_PERIOD } from '../../../contract/index.ts'
import { failure, login, registerUser } from '../helpers/issuer.ts'
import type { CallResult, TestIssuer, TokenPairBody } from '../helpers/issuer.ts'

/** RFC 4648 base32 without padding, as the enrolment hands the secret out. */
export function decodeBase32(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const char of text.toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(char)
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return new Uint8Array(out)
}

/** The TOTP code of `secret` at `at` (epoch ms), as an authenticator app would show it. */
export function totpAt(secret: Uint8Array, at: number): string {
  return generateHOTP(secret, BigInt(Math.floor(at / 1000 / TOTP_PERIOD)), 6)
}

export type MfaUser = {
  user: { id: string; email: string; password: string }
  /** The session the factor was enrolled from. */
  pair: TokenPairBody
  secret: Uint8Array
  /** The secret as the enrolment showed it (base32). */
  secretText: string
  recoveryCodes: string[]
  /** The code of the issuer's clock now, `steps` periods off. */
  code(steps?: number): string
  /** Moves the issuer's clock to the next time step and returns that step's code. */
  nextCode(): string
}

/** A registered user with a confirmed TOTP factor, signed in once before enrolling. */
export async function enrolledUser(t: TestIssuer): Promise<MfaUser> {
  const user = await registerUser(t)
  const pair = await login(t, user)
  const enrolment = ok(
    await t.call('mfa.enrollTotp', { password: user.password }, { token: pair.accessToken }),
  )
  const secret = decodeBase32(enrolment.secret)
  const code = (steps = 0) => totpAt(secret, t.issuer.now() + steps * TOTP_PERIOD * 1000)
  const confirmed = ok(
    await t.call('mfa.confirmTotp', { code: code() }, { token: pair.accessToken }),
  )
  return {
    user,
    pair,
    secret,
    secretText: enrolment.secret,
    recoveryCodes: confirmed.recoveryCodes,
    code,
    nextCode() {
      t.advance(TOTP_PERIOD)
      return code()
    },
  }
}

/** `auth.login` for a user with a factor: the MFA_REQUIRED answer's challenge. */
export async function challengeFor(
  t: TestIssuer,
  user: { email: string; password: string },
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<string> {
  const result = await t.call('auth.login', { ...user, ...extra }, { headers })
  if (failure(result).reason !== 'MFA_REQUIRED') {
    throw new Error(`expected MFA_REQUIRED: ${JSON.stringify(result.body)}`)
  }
  return result.body.error.data.mfa.challenge as string
}

/** The data of a successful call, or a thrown error naming its reason. */
export function ok(result: CallResult): any {
  if (result.status !== 200) throw new Error(`call failed: ${JSON.stringify(result.body)}`)
  return result.body.result.data
}

/** Everything the second factor keeps about a user, straight from D1. */
export async function mfaRows(userId: string) {
  const [factor, codes, challenges, sessions] = await env.DB.batch<Record<string, unknown>>([
    env.DB.prepare('SELECT * FROM mfa_factors WHERE user_id = ?').bind(userId),
    env.DB.prepare('SELECT code_hash FROM mfa_recovery_codes WHERE user_id = ? ORDER BY 1').bind(
      userId,
    ),
    env.DB.prepare(
      'SELECT id_hash, attempts FROM mfa_challenges WHERE user_id = ? ORDER BY 1',
    ).bind(userId),
    env.DB.prepare(
      'SELECT id, revoked_at, amr, acr, auth_time FROM sessions WHERE user_id = ? ORDER BY id',
    ).bind(userId),
  ])
  return {
    factor: factor!.results[0],
    codes: codes!.results,
    challenges: challenges!.results,
    sessions: sessions!.results,
  }
}
