import { beforeAll, describe, expect, test } from 'vitest'
import {
  claimsOf,
  createTestIssuer,
  createVictim,
  expectIntact,
  expectRefusal,
  forge,
  importReal,
  realKey,
  send,
  snapshot,
  watchLogs,
  withToken,
  worker,
} from './helpers.ts'
import type { Victim } from './helpers.ts'

// RFC 8725 §3.8–3.11, RFC 9068 §4: every claim check, proved with tokens signed by the issuer's
// REAL key, so only the claim can be the reason for the refusal. Each names the victim's sub and
// sid and asks auth.logoutAll to sign the victim out everywhere.
const t = createTestIssuer()
let victim: Victim
let bystander: Victim
watchLogs()

const es = realKey('ES256')
const now = () => Math.floor(Date.now() / 1000)

async function signed(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const key = await importReal(es)
  return forge({ alg: 'ES256', kid: es.kid, typ: 'at+jwt', ...header }, claims, key, 'ES256')
}

/** The victim's real claims, freshly timed, with `change` applied; `undefined` removes a claim. */
function altered(change: Record<string, unknown> = {}) {
  const claims: Record<string, unknown> = {
    ...claimsOf(victim.pair.accessToken),
    iat: now(),
    exp: now() + 900,
  }
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) delete claims[name]
    else claims[name] = value
  }
  return claims
}

async function expectRefused(token: string, reason: string) {
  await expectRefusal(t, victim, () => withToken('auth.logoutAll', token), { status: 401, reason })
}

beforeAll(async () => {
  victim = await createVictim(t)
  bystander = await createVictim(t)
  // The control: the same forging with no claim changed is accepted, so each refusal below is
  // the claim's doing.
  const me = await send(worker, '/trpc/auth.me', {
    headers: { authorization: `Bearer ${await signed(altered())}` },
  })
  expect(me.status).toBe(200)
})

describe('exp, iat and nbf (RFC 7519 §4.1, RFC 8725 §3.10)', () => {
  test.each([
    ['no exp', () => ({ exp: undefined })],
    ['a string exp', () => ({ exp: String(now() + 900) })],
    ['a float exp', () => ({ exp: now() + 900.5 })],
    ['a null exp', () => ({ exp: null })],
    ['an exp of 1e20', () => ({ exp: 1e20 })],
    ['an exp two days after its iat', () => ({ exp: now() + 2 * 86_400 })],
    ['an exp before its iat', () => ({ exp: now() - 1 })],
    ['no iat', () => ({ iat: undefined })],
    ['a string iat', () => ({ iat: String(now()) })],
    ['an iat an hour ahead', () => ({ iat: now() + 3600, exp: now() + 4500 })],
    ['an iat and exp near 1e20', () => ({ iat: 1e20, exp: 1e20 + 900 })],
    ['an nbf an hour ahead', () => ({ nbf: now() + 3600 })],
    ['a string nbf', () => ({ nbf: 'now' })],
  ])('%s is TOKEN_INVALID', async (_, change) => {
    await expectRefused(await signed(altered(change())), 'TOKEN_INVALID')
  })

  test.each([
    ['an exp past the 30 s leeway', () => ({ iat: now() - 1000, exp: now() - 31 })],
    ['an exp in 1970', () => ({ iat: 0, exp: 900 })],
  ])('%s is TOKEN_EXPIRED', async (_, change) => {
    await expectRefused(await signed(altered(change())), 'TOKEN_EXPIRED')
  })
})

describe('iss, aud and typ (RFC 8725 §3.8, §3.9, §3.11)', () => {
  test.each([
    ['another issuer', { iss: 'https://evil.example' }, {}],
    ['the issuer with a trailing slash', { iss: 'http://localhost:8787/' }, {}],
    ['the issuer in upper case', { iss: 'HTTP://LOCALHOST:8787' }, {}],
    ['no issuer', { iss: undefined }, {}],
    ['another audience', { aud: 'billing' }, {}],
    ['an audience list without rotor', { aud: ['billing', 'rotor-admin'] }, {}],
    ['no audience', { aud: undefined }, {}],
    ['typ JWT', {}, { typ: 'JWT' }],
    ['no typ', {}, { typ: undefined }],
    ['typ of another token kind', {}, { typ: 'logout+jwt' }],
  ])('%s is TOKEN_INVALID', async (_, change, header) => {
    await expectRefused(await signed(altered(change), header), 'TOKEN_INVALID')
  })

  test('a token from another deployment (same keys, ISSUER and AUDIENCE of staging) is refused', async () => {
    const staging = createTestIssuer({
      ISSUER: 'https://staging.example',
      AUDIENCE: 'rotor-staging',
    })
    const pair = await staging.call('auth.login', victim.user)
    const token = pair.body.result.data.accessToken as string
    await expectRefused(token, 'TOKEN_INVALID')
    // Staging's own session for the victim is a separate one; it ends here, leaving the victim's.
    await staging.call('auth.logout', {}, { token })
  })
})

describe('sub, sid and jti (RFC 9068 §2.2)', () => {
  test.each([
    ['no sub', () => ({ sub: undefined }), 'TOKEN_INVALID'],
    ['a numeric sub', () => ({ sub: 1 }), 'TOKEN_INVALID'],
    ['no sid', () => ({ sid: undefined }), 'TOKEN_INVALID'],
    ['an object sid', () => ({ sid: { $ne: null } }), 'TOKEN_INVALID'],
    ['no jti', () => ({ jti: undefined }), 'TOKEN_INVALID'],
    ['a sid no session has', () => ({ sid: crypto.randomUUID() }), 'SESSION_REVOKED'],
    [
      'another user’s sub with the victim’s sid',
      () => ({ sub: bystander.user.id }),
      'SESSION_REVOKED',
    ],
  ])('%s is refused', async (_, change, reason) => {
    await expectRefused(await signed(altered(change())), reason)
  })

  test('the victim’s sub with another user’s sid signs neither of them out', async () => {
    const other = await snapshot(bystander.user.id)
    await expectRefused(await signed(altered({ sid: bystander.pair.sessionId })), 'SESSION_REVOKED')
    await expectIntact(t, bystander, other)
  })

  test.each([
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"sub"'],
    ['not JSON at all', 'sub=victim'],
  ])('a payload that is %s is TOKEN_INVALID', async (_, raw) => {
    const key = await importReal(es)
    await expectRefused(
      await forge({ alg: 'ES256', kid: es.kid, typ: 'at+jwt' }, raw, key, 'ES256'),
      'TOKEN_INVALID',
    )
  })
})
