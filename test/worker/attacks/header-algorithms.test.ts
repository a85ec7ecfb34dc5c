import { describe, test } from 'vitest'
import { exportSPKI, importJWK } from 'jose'
import {
  claimsOf,
  encode,
  expectRefusal,
  forge,
  hmacKey,
  importReal,
  realKey,
  useScene,
  withToken,
  worker,
} from './helpers.ts'
import type { PrivateJwk } from './helpers.ts'

// RFC 8725 §2.1, §3.1: alg none and algorithm confusion, sent to the deployed entry as a forged
// bearer on auth.logoutAll, which would sign the victim out everywhere if it were accepted.
const scene = useScene()
const { t } = scene

/** Sends `token` to sign the victim out everywhere; asserts the refusal and an untouched victim. */
async function expectRefused(token: string, reason = 'TOKEN_INVALID') {
  await expectRefusal(t, scene.victim, () => withToken('auth.logoutAll', token), {
    status: 401,
    reason,
  })
}

const es = realKey('ES256')
const typ = 'at+jwt'

describe('alg none and its spellings (RFC 8725 §3.1)', () => {
  test.each(['none', 'NoNe', 'nONE', 'none '])(
    'alg %j with an empty signature is refused',
    async (alg) => {
      await expectRefused(
        `${encode({ alg, kid: es.kid, typ })}.${encode(claimsOf(scene.victim.pair.accessToken))}.`,
      )
    },
  )

  test('alg none keeping the real token’s signature is refused', async () => {
    const [, payload, signature] = scene.victim.pair.accessToken.split('.')
    await expectRefused(`${encode({ alg: 'none', kid: es.kid, typ })}.${payload}.${signature}`)
  })

  test.each([
    ['an empty alg', { alg: '', kid: es.kid, typ }],
    ['no alg at all', { kid: es.kid, typ }],
    ['a null alg', { alg: null, kid: es.kid, typ }],
    ['an array alg', { alg: ['ES256'], kid: es.kid, typ }],
    ['a lower-case es256', { alg: 'es256', kid: es.kid, typ }],
  ])('%s over a real ES256 signature is refused', async (_, header) => {
    const token = await forge(
      header,
      claimsOf(scene.victim.pair.accessToken),
      await importReal(es),
      'ES256',
    )
    await expectRefused(token)
  })
})

describe('algorithm confusion (RFC 8725 §2.1, §3.1)', () => {
  const rsa = realKey('RS256')
  const ed = realKey('EdDSA')
  const publicOf = (jwk: PrivateJwk): Record<string, unknown> => {
    const { d, p, q, dp, dq, qi, status, ...rest } = jwk
    return rest
  }

  test.each([
    ['the RS256 public JWK', () => JSON.stringify(publicOf(rsa)), rsa.kid],
    ['the ES256 public JWK', () => JSON.stringify(publicOf(es)), es.kid],
    ['the Ed25519 public key bytes', () => ed.x!, ed.kid],
  ])('HS256 keyed with %s is refused', async (_, secret, kid) => {
    const key = await hmacKey(secret())
    const token = await forge(
      { alg: 'HS256', kid, typ },
      claimsOf(scene.victim.pair.accessToken),
      key,
      'HS256',
    )
    await expectRefused(token)
  })

  test('HS256 keyed with the RS256 key as an SPKI PEM is refused', async () => {
    const publicKey = await importJWK({ ...publicOf(rsa), alg: 'RS256' }, 'RS256', {
      extractable: true,
    })
    const pem = await exportSPKI(publicKey as CryptoKey)
    const token = await forge(
      { alg: 'HS256', kid: rsa.kid, typ },
      claimsOf(scene.victim.pair.accessToken),
      await hmacKey(pem),
      'HS256',
    )
    await expectRefused(token)
  })

  test('HS256 keyed with the published JWKS document itself is refused', async () => {
    const jwks = await (
      await worker.fetch(new Request('http://localhost/.well-known/jwks.json'))
    ).text()
    const token = await forge(
      { alg: 'HS256', typ },
      claimsOf(scene.victim.pair.accessToken),
      await hmacKey(jwks),
      'HS256',
    )
    await expectRefused(token)
  })

  test('the real RSA key signing PS256 instead of its pinned RS256 is refused', async () => {
    const token = await forge(
      { alg: 'PS256', kid: rsa.kid, typ },
      claimsOf(scene.victim.pair.accessToken),
      await importReal(rsa, 'PS256'),
      'PS256',
    )
    await expectRefused(token)
  })

  test('the real Ed25519 key under the alg name Ed25519 instead of its pinned EdDSA is refused', async () => {
    const token = await forge(
      { alg: 'Ed25519', kid: ed.kid, typ },
      claimsOf(scene.victim.pair.accessToken),
      await importReal(ed),
      'EdDSA',
    )
    await expectRefused(token)
  })

  test('the real RS256 key signing under the ES256 key’s kid is refused', async () => {
    const token = await forge(
      { alg: 'RS256', kid: es.kid, typ },
      claimsOf(scene.victim.pair.accessToken),
      await importReal(rsa),
      'RS256',
    )
    await expectRefused(token)
  })
})
