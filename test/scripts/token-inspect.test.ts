import { SignJWT, UnsecuredJWT, exportSPKI, generateKeyPair } from 'jose'
import { describe, expect, test } from 'vitest'
import { createKeyRing } from '../../worker/keys/key-ring.ts'
import { signAccessToken } from '../../worker/tokens/access-token.ts'
import { generateRefreshToken } from '../../worker/tokens/refresh-token.ts'
import { formatInspection } from '../../scripts/lib/legacy-inspect-format.ts'
import { inspectToken } from '../../scripts/lib/legacy-inspect.ts'
import { generateKeySet } from '../../scripts/lib/signing-keys.ts'
import { T0, privateValues } from './helpers/key-ring.ts'

const NOW = T0 * 1000
const DAY = 86_400
const SECRET = 'fleet-secret-for-inspect-tests-0123456789'
const ring = await generateKeySet({ now: T0 })
const otherRing = await generateKeySet({ now: T0 })
const vars = {
  ISSUER: 'http://localhost:8787',
  AUDIENCE: 'rotor',
  SIGNING_KEYS: JSON.stringify(ring),
  LEGACY_JWT_SECRET: SECRET,
  LEGACY_SUNSET: 'Wed, 30 Jun 2027 00:00:00 GMT',
  LEGACY_MAX_AGE: String(90 * DAY),
}

async function accessToken(
  options: { iat?: number; aud?: string; iss?: string; keys?: object } = {},
) {
  const iat = options.iat ?? T0 - 60
  const keys = createKeyRing(JSON.stringify(options.keys ?? ring), 'ES256')
  const claims = { sub: 'user-1', sid: 'session-1', iat, exp: iat + 900, client_id: 'web' }
  return signAccessToken(
    keys,
    { issuer: options.iss ?? vars.ISSUER, audience: options.aud ?? 'rotor', clockSkewLeeway: 30 },
    claims,
  )
}

function legacy(claims: Record<string, unknown> = { iat: T0 - DAY }, secret = SECRET) {
  return new SignJWT({ sub: 'user-1', ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret))
}

const inspect = (token: string, extra: Record<string, string> = {}) =>
  inspectToken(token, { ...vars, ...extra }, NOW)

describe('token:inspect on Rotor access tokens', () => {
  test('a valid token is accepted, with what only the issuer can still check', async () => {
    const result = await inspect(await accessToken())
    expect(result).toMatchObject({ kind: 'rotor', verdict: 'accepted' })
    expect(result.why[0]).toMatch(/expires at .* \(in 14 min\)/)
    expect(result.notes[0]).toContain('session session-1')
  })

  test.each([
    ['expired', { iat: T0 - 2 * 3600 }, 'TOKEN_EXPIRED', /expired at .*\(1 hour ago\)/],
    ['for another audience', { aud: 'billing' }, 'TOKEN_INVALID', /AUDIENCE is "rotor"/],
    ['from another issuer', { iss: 'https://old.example' }, 'TOKEN_INVALID', /ISSUER is/],
    [
      'signed by a key not in the ring',
      { keys: otherRing },
      'TOKEN_INVALID',
      /no key in SIGNING_KEYS/,
    ],
    ['issued in the future', { iat: T0 + 3600 }, 'TOKEN_INVALID', /issued in the future/],
  ])('a token %s is refused, saying so', async (_, options, reason, why) => {
    const result = await inspect(await accessToken(options))
    expect(result).toMatchObject({ verdict: 'refused', reason })
    expect(result.why.join(' ')).toMatch(why)
  })

  test('a token living longer than ACCESS_TOKEN_TTL allows is refused, saying so', async () => {
    const result = await inspect(await accessToken(), { ACCESS_TOKEN_TTL: '300' })
    expect(result).toMatchObject({ verdict: 'refused', reason: 'TOKEN_INVALID' })
    expect(result.why.join(' ')).toMatch(/lifetime of 900 s .*ACCESS_TOKEN_TTL is 300 s/)
  })

  test('an altered token fails on its signature', async () => {
    const [header, , signature] = (await accessToken()).split('.')
    const payload = btoa(
      JSON.stringify({
        iss: vars.ISSUER,
        aud: 'rotor',
        sub: 'admin',
        sid: 's',
        jti: 'j',
        iat: T0,
        exp: T0 + 900,
      }),
    ).replace(/=+$/, '')
    const result = await inspect(`${header}.${payload}.${signature}`)
    expect(result.why[0]).toMatch(/signature does not verify/)
  })

  test('without SIGNING_KEYS it cannot tell, and says which value is missing', async () => {
    const result = await inspect(await accessToken(), { SIGNING_KEYS: '' })
    expect(result.verdict).toBe('unknown')
    expect(result.why[0]).toContain('SIGNING_KEYS')
  })
})

describe('token:inspect on legacy tokens, phase by phase', () => {
  test.each([
    ['off', 'refused', 'TOKEN_INVALID', /LEGACY_MODE is off/],
    ['monitor', 'accepted', undefined, /monitor: accepted as before/],
    [
      'warn',
      'accepted',
      undefined,
      /Sunset: Wed, 30 Jun 2027.*refused once it passes LEGACY_MAX_AGE at/,
    ],
    ['enforce', 'refused', 'LEGACY_TOKEN_REJECTED', /enforce: every legacy token is refused/],
  ])('%s', async (mode, verdict, reason, why) => {
    const result = await inspect(await legacy(), { LEGACY_MODE: mode })
    expect([result.kind, result.verdict, result.reason]).toEqual(['legacy', verdict, reason])
    expect(result.why.join(' ')).toMatch(why)
  })

  test('warn refuses a token past LEGACY_MAX_AGE and one without iat', async () => {
    const old = await inspect(await legacy({ iat: T0 - 100 * DAY }), { LEGACY_MODE: 'warn' })
    expect(old.reason).toBe('LEGACY_TOKEN_REJECTED')
    expect(old.why[0]).toMatch(/100 days ago\), longer ago than LEGACY_MAX_AGE \(90 days\)/)
    const noIat = await inspect(await legacy({}), { LEGACY_MODE: 'warn' })
    expect(noIat.why[0]).toMatch(/has no iat/)
  })

  test('wrong secret, alg none and HS256 against an RS256 key are invalid, each said plainly', async () => {
    const monitor = { LEGACY_MODE: 'monitor' }
    const wrong = await inspect(await legacy(undefined, 'another-secret'), monitor)
    expect(wrong).toMatchObject({ reason: 'TOKEN_INVALID' })
    expect(wrong.why[0]).toMatch(/does not verify with LEGACY_JWT_SECRET/)
    const none = await inspect(new UnsecuredJWT({ sub: 'user-1' }).encode(), monitor)
    expect(none.why[0]).toMatch(/unsigned \(alg none\)/)
    const { publicKey } = await generateKeyPair('RS256', { extractable: true })
    const rs = { ...monitor, LEGACY_JWT_SECRET: '', LEGACY_PUBLIC_KEY: await exportSPKI(publicKey) }
    const confused = await inspect(await legacy(), rs)
    expect(confused.why[0]).toMatch(
      /signed with HS256, but the legacy key \(LEGACY_PUBLIC_KEY\) pins RS256/,
    )
  })

  test('a legacy public key that cannot be imported: cannot tell, naming it', async () => {
    const broken = '-----BEGIN PUBLIC KEY-----\nAAAAAAAAAAAA\n-----END PUBLIC KEY-----'
    const monitor = { LEGACY_MODE: 'monitor', LEGACY_JWT_SECRET: '', LEGACY_PUBLIC_KEY: broken }
    const token = await new SignJWT({ sub: 'user-1' })
      .setProtectedHeader({ alg: 'RS256' })
      .sign((await generateKeyPair('RS256')).privateKey)
    const result = await inspect(token, monitor)
    expect(result.verdict).toBe('unknown')
    expect(result.why[0]).toContain('LEGACY_PUBLIC_KEY is not a usable RSA public key')
  })

  test('a bad phase configuration names the value', async () => {
    const result = await inspect(await legacy(), { LEGACY_MODE: 'warn', LEGACY_SUNSET: '' })
    expect(result.verdict).toBe('unknown')
    expect(result.why[0]).toContain('LEGACY_SUNSET')
  })

  test('a short legacy secret is pointed out', async () => {
    const result = await inspect(await legacy(undefined, 'short'), {
      LEGACY_MODE: 'monitor',
      LEGACY_JWT_SECRET: 'short',
    })
    expect(result.verdict).toBe('accepted')
    expect(result.notes.join(' ')).toMatch(/5 bytes; RFC 7518/)
  })
})

describe('token:inspect on anything else, and what it prints', () => {
  test('garbage, a refresh token and an oversized token are unreadable', async () => {
    expect(await inspect('hello')).toMatchObject({ kind: 'unreadable', reason: 'TOKEN_INVALID' })
    const refresh = await inspect(generateRefreshToken('body'))
    expect(refresh.notes[0]).toMatch(/Rotor refresh token/)
    const huge = await inspect(await legacy({ pad: 'x'.repeat(9000) }))
    expect(huge.why[0]).toMatch(/over 8192/)
  })

  test('the output shows claims but never a signature or a secret', async () => {
    for (const token of [await accessToken(), await legacy(), await legacy(undefined, 'x')]) {
      const result = await inspect(token, { LEGACY_MODE: 'warn' })
      const output = formatInspection(result, ['wrangler.toml [vars]'], NOW).join('\n')
      expect(output).toContain('user-1')
      expect(output).not.toContain(token.split('.')[2]!)
      expect(output).not.toContain(SECRET)
      for (const value of privateValues(ring)) expect(output).not.toContain(value)
    }
  })
})
