import { beforeAll, describe, test } from 'vitest'
import { exportJWK, exportSPKI, generateKeyPair } from 'jose'
import {
  claimsOf,
  createTestIssuer,
  createVictim,
  encode,
  expectRefusal,
  forge,
  hmacKey,
  importReal,
  realKey,
  watchLogs,
  withToken,
} from './helpers.ts'
import type { TestIssuer, Victim } from './helpers.ts'

// RFC 8725 §3.10, OWASP JWT cheat sheet: keys named or carried by the token itself, and kid as
// an injection vector. An attacker's own key pair signs; the real key signs where a header trick
// rides on a genuine signature.
const t = createTestIssuer()
let victim: Victim
let attacker: { privateKey: CryptoKey; jwk: Record<string, unknown> }
beforeAll(async () => {
  victim = await createVictim(t)
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  attacker = { privateKey, jwk: { ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig' } }
})
watchLogs()

const invalid = { status: 401, reason: 'TOKEN_INVALID' }

async function expectRefused(token: string, issuer: TestIssuer = t) {
  await expectRefusal(issuer, victim, () => withToken('auth.logoutAll', token), invalid)
}

const es = realKey('ES256')
const typ = 'at+jwt'
const evilJwks = 'https://evil.example/.well-known/jwks.json'

describe('keys named or embedded by the token (RFC 8725 §3.10)', () => {
  test.each([
    ['an embedded jwk and no kid', () => ({ jwk: attacker.jwk })],
    [
      'an embedded jwk under the real kid',
      () => ({ jwk: { ...attacker.jwk, kid: es.kid }, kid: es.kid }),
    ],
    ['a jku to the attacker’s JWKS', () => ({ jku: evilJwks, kid: 'evil-1' })],
    ['a jku under the real kid', () => ({ jku: evilJwks, kid: es.kid })],
    [
      'an x5u to the attacker’s certificate',
      () => ({ x5u: 'https://evil.example/cert.pem', kid: 'evil-1' }),
    ],
    [
      'an x5c chain of the attacker’s',
      () => ({ x5c: [encode('not a real certificate')], kid: 'evil-1' }),
    ],
  ])('an attacker’s key via %s is never used', async (_, extra) => {
    const header = { alg: 'ES256', typ, ...extra() }
    await expectRefused(
      await forge(header, claimsOf(victim.pair.accessToken), attacker.privateKey, 'ES256'),
    )
  })
})

describe('kid injection (OWASP JWT cheat sheet)', () => {
  test.each([
    ['path traversal', '../../../../dev/null'],
    ['an absolute path', '/proc/self/environ'],
    ['SQL', "x' OR '1'='1"],
    ['SQL with a statement', `${es.kid}'; DROP TABLE sessions; --`],
    ['a NUL byte', `${es.kid}\u0000`],
    ['an object key', '__proto__'],
    ['a number', 0],
    ['an object', { $ne: null }],
    ['4 KB of text', 'k'.repeat(4000)],
  ])('a kid of %s with an attacker’s signature is refused', async (_, kid) => {
    const header = { alg: 'ES256', typ, kid }
    await expectRefused(
      await forge(header, claimsOf(victim.pair.accessToken), attacker.privateKey, 'ES256'),
    )
  })

  test('HS256 keyed with an empty secret under a kid that names nothing is refused', async () => {
    const header = { alg: 'HS256', typ, kid: '../../../../dev/null' }
    await expectRefused(
      await forge(
        header,
        claimsOf(victim.pair.accessToken),
        await hmacKey(new Uint8Array(1)),
        'HS256',
      ),
    )
  })
})

describe('crit (RFC 7515 §4.1.11)', () => {
  test.each([
    ['an unknown extension', { crit: ['x-rotor-admin'], 'x-rotor-admin': true }],
    ['a registered claim name', { crit: ['exp'] }],
    ['b64 false (RFC 7797)', { crit: ['b64'], b64: false }],
    ['an empty list', { crit: [] }],
    ['a string, not a list', { crit: 'x-rotor-admin' }],
  ])('crit with %s on a real signature is refused', async (_, extra) => {
    const header = { alg: 'ES256', kid: es.kid, typ, ...extra }
    await expectRefused(
      await forge(header, claimsOf(victim.pair.accessToken), await importReal(es), 'ES256'),
    )
  })
})

describe('the legacy path as a side door (DESIGN §8)', () => {
  let legacy: TestIssuer
  let pem: string
  beforeAll(async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true })
    pem = await exportSPKI(publicKey)
    legacy = createTestIssuer({ LEGACY_MODE: 'monitor', LEGACY_PUBLIC_KEY: pem })
  })
  const expectLegacyRefused = async (token: string) => {
    await expectRefusal(legacy, victim, () => legacy.call('auth.logoutAll', {}, { token }), invalid)
  }
  const legacyClaims = () => ({ sub: victim.user.id, iat: Math.floor(Date.now() / 1000) - 60 })

  test('HS256 keyed with the legacy RS256 public key PEM is refused', async () => {
    const token = await forge(
      { alg: 'HS256', typ: 'JWT' },
      legacyClaims(),
      await hmacKey(pem),
      'HS256',
    )
    await expectLegacyRefused(token)
  })

  test('alg none with typ JWT is refused on the legacy path', async () => {
    await expectLegacyRefused(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(legacyClaims())}.`)
  })

  test('a real access token re-headed as typ JWT does not slip through the legacy path', async () => {
    const header = { alg: 'ES256', kid: es.kid, typ: 'JWT' }
    const token = await forge(
      header,
      claimsOf(victim.pair.accessToken),
      await importReal(es),
      'ES256',
    )
    await expectLegacyRefused(token)
  })
})
