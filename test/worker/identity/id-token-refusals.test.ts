import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { SignJWT, base64url } from 'jose'
import { MAX_TOKEN_BYTES } from '../../../contract/index.ts'
import { signInWithIdToken as signInDirectly } from '../../../worker/identity/sign-in-with-id-token.ts'
import { failure } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'
import {
  createIdpIssuer,
  idClaims,
  providerEntry,
  signIdToken,
  signInWithIdToken,
} from './helpers.ts'

const INFO = { ip: '192.0.2.7', country: null, userAgent: null, requestId: 'test' }

/** Signs in with `idToken` and expects a refusal with `reason`, and no user for `email`. */
async function expectRefused(t: TestIssuer, idToken: string, reason: string, email?: string) {
  const result = await signInWithIdToken(t, { idToken })
  expect(failure(result)).toEqual({ status: reason === 'PROVIDER_UNAVAILABLE' ? 503 : 401, reason })
  const created =
    email === undefined
      ? null
      : await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(email).first()
  expect(created).toBeNull()
  return result.body.error.message as string
}

const encode = (value: object) => base64url.encode(JSON.stringify(value))

describe('ID tokens the issuer refuses', () => {
  test('a token from an issuer that is not configured', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t, { iss: 'https://elsewhere.test' })
    await expectRefused(t, await signIdToken(claims), 'PROVIDER_UNKNOWN', claims.email)
  })

  test('a token for another client (aud), or several audiences without azp naming ours', async () => {
    const t = createIdpIssuer()
    const other = idClaims(t, { aud: 'another-app' })
    await expectRefused(t, await signIdToken(other), 'ID_TOKEN_INVALID', other.email)
    const several = idClaims(t, { aud: ['rotor-app', 'another-app'], azp: 'another-app' })
    await expectRefused(t, await signIdToken(several), 'ID_TOKEN_INVALID', several.email)
  })

  test('an expired token, past the leeway; one just inside the leeway passes', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t)
    const idToken = await signIdToken(claims)
    t.advance(600 + 29)
    expect((await signInWithIdToken(t, { idToken })).status).toBe(200)
    t.advance(2)
    const message = await expectRefused(t, idToken, 'ID_TOKEN_INVALID')
    expect(message).toMatch(/expired/)
  })

  test('a token issued too long ago, or living longer than the provider allows', async () => {
    const t = createIdpIssuer([providerEntry({ max_token_age: 3600 })])
    const now = Math.floor(t.issuer.now() / 1000)
    const old = idClaims(t, { iat: now - 7200, exp: now + 60 })
    await expectRefused(t, await signIdToken(old), 'ID_TOKEN_INVALID', old.email)
    const long = idClaims(t, { iat: now, exp: now + 7200 })
    await expectRefused(t, await signIdToken(long), 'ID_TOKEN_INVALID', long.email)
  })

  test('a token without exp, iat or sub', async () => {
    const t = createIdpIssuer()
    for (const claim of ['exp', 'iat', 'sub']) {
      const { [claim]: _, ...claims } = idClaims(t) as Record<string, unknown>
      await expectRefused(t, await signIdToken(claims), 'ID_TOKEN_INVALID')
    }
  })

  test('a token whose signature does not verify', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t)
    const [header, payload, signature] = (await signIdToken(claims)).split('.')
    const otherPayload = encode({ ...claims, sub: 'someone-else' })
    await expectRefused(t, `${header}.${otherPayload}.${signature}`, 'ID_TOKEN_INVALID')
    const flipped =
      signature!.slice(0, 10) + (signature![10] === 'A' ? 'B' : 'A') + signature!.slice(11)
    await expectRefused(t, `${header}.${payload}.${flipped}`, 'ID_TOKEN_INVALID', claims.email)
  })

  test('alg none and HS256 are refused whatever the key', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t)
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`
    await expectRefused(t, unsigned, 'ID_TOKEN_INVALID', claims.email)
    const jwks = await (await env.TEST_OIDC_PROVIDER.fetch('https://idp.test/jwks')).text()
    // The classic confusion: an HMAC keyed with the provider's public key.
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'es-1' })
      .sign(new TextEncoder().encode(jwks))
    await expectRefused(t, hs256, 'ID_TOKEN_INVALID', claims.email)
  })

  test('an algorithm the provider does not use, though the key would verify it', async () => {
    const t = createIdpIssuer([providerEntry({ algorithms: ['ES256'] })])
    const claims = idClaims(t)
    await expectRefused(
      t,
      await signIdToken(claims, { kid: 'rs-1' }),
      'ID_TOKEN_INVALID',
      claims.email,
    )
  })

  test('a key the provider never published (unknown kid)', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t)
    const message = await expectRefused(
      t,
      await signIdToken(claims, { kid: 'hidden' }),
      'ID_TOKEN_INVALID',
      claims.email,
    )
    expect(message).toMatch(/key the provider does not publish/)
  })

  test('a token typed as something else (an access token, at+jwt)', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t)
    await expectRefused(
      t,
      await signIdToken(claims, { typ: 'at+jwt' }),
      'ID_TOKEN_INVALID',
      claims.email,
    )
    expect(
      (await signInWithIdToken(t, { idToken: await signIdToken(claims, { typ: 'JWT' }) })).status,
    ).toBe(200)
  })

  test('a token longer than the cap, before any parsing, and garbage', async () => {
    const t = createIdpIssuer()
    const oversize = `${encode({ alg: 'ES256' })}.${'a'.repeat(MAX_TOKEN_BYTES)}.x`
    await expect(
      signInDirectly(t.issuer, { idToken: oversize, delivery: 'body' }, INFO),
    ).rejects.toMatchObject({
      reason: 'ID_TOKEN_INVALID',
    })
    // Over HTTP the body limit answers first.
    expect((await signInWithIdToken(t, { idToken: oversize })).status).toBe(413)
    await expectRefused(t, 'not-a-jwt', 'ID_TOKEN_INVALID')
  })

  test('keys that cannot be fetched: PROVIDER_UNAVAILABLE, nothing created', async () => {
    const down = 'https://down.idp.test'
    const t = createIdpIssuer([
      providerEntry({ issuer: down, jwks_uri: 'https://idp.test/broken-jwks' }),
    ])
    const claims = idClaims(t, { iss: down })
    await expectRefused(t, await signIdToken(claims), 'PROVIDER_UNAVAILABLE', claims.email)
  })
})
