import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { failure, me, refresh, registerUser } from '../helpers/issuer.ts'
import {
  PROVIDER,
  createIdpIssuer,
  idClaims,
  providerEntry,
  signIdToken,
  signInWithIdToken,
} from './helpers.ts'

const usersWithEmail = async (email: string) =>
  (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(email).all()).results.length

const identitiesOf = async (subject: string) =>
  (
    await env.DB.prepare('SELECT user_id FROM user_identities WHERE provider = ? AND subject = ?')
      .bind(PROVIDER, subject)
      .all()
  ).results

describe('sign-in with an ID token from a configured provider', () => {
  test('a valid token starts a session whose tokens work, for a user created from its email', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t)
    const result = await signInWithIdToken(t, { idToken: await signIdToken(claims) })
    expect(result.status).toBe(200)
    const pair = result.body.result.data
    expect(pair.user.email).toBe(claims.email)
    const whoami = await me(t, pair.accessToken)
    expect(whoami.body.result.data).toEqual({
      id: pair.user.id,
      email: claims.email,
      emailVerified: true,
    })
    expect((await refresh(t, pair.refreshToken)).status).toBe(200)
    expect(await identitiesOf(claims.sub)).toEqual([{ user_id: pair.user.id }])
    const row = await env.DB.prepare('SELECT email_verified, password_hash FROM users WHERE id = ?')
      .bind(pair.user.id)
      .first()
    expect(row).toEqual({ email_verified: 1, password_hash: '' })
  })

  test('a second sign-in of the same subject reuses the link, even after the email changed', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t)
    const first = await signInWithIdToken(t, { idToken: await signIdToken(claims) })
    const renamed = { ...claims, email: `renamed-${claims.email}` }
    const second = await signInWithIdToken(t, {
      idToken: await signIdToken(renamed, { kid: 'rs-1' }),
    })
    expect(second.status).toBe(200)
    expect(second.body.result.data.user.id).toBe(first.body.result.data.user.id)
    expect(second.body.result.data.sessionId).not.toBe(first.body.result.data.sessionId)
    expect(await usersWithEmail(renamed.email)).toBe(0)
  })

  test('a token whose email belongs to an unlinked user is refused, and links nothing', async () => {
    const t = createIdpIssuer()
    const existing = await registerUser(t)
    const claims = idClaims(t, { email: existing.email.toUpperCase() })
    const result = await signInWithIdToken(t, { idToken: await signIdToken(claims) })
    expect(failure(result)).toEqual({ status: 409, reason: 'IDENTITY_EMAIL_TAKEN' })
    expect(await identitiesOf(claims.sub)).toEqual([])
  })

  test('an unlinked subject is refused where the provider may not create users', async () => {
    const t = createIdpIssuer([providerEntry({ create_users: false })])
    const claims = idClaims(t)
    const result = await signInWithIdToken(t, { idToken: await signIdToken(claims) })
    expect(failure(result)).toEqual({ status: 403, reason: 'IDENTITY_NOT_LINKED' })
    expect(await usersWithEmail(claims.email)).toBe(0)
  })

  test('no user is created from an unverified email', async () => {
    const t = createIdpIssuer()
    const claims = idClaims(t, { email_verified: false })
    const result = await signInWithIdToken(t, { idToken: await signIdToken(claims) })
    expect(failure(result)).toEqual({ status: 403, reason: 'IDENTITY_NOT_LINKED' })
    expect(await usersWithEmail(claims.email)).toBe(0)
  })

  test('a provider requiring email_verified refuses a token without it, even for a linked user', async () => {
    const t = createIdpIssuer([providerEntry({ require_email_verified: true })])
    const claims = idClaims(t)
    expect((await signInWithIdToken(t, { idToken: await signIdToken(claims) })).status).toBe(200)
    const { email_verified: _, ...unverified } = claims
    const result = await signInWithIdToken(t, { idToken: await signIdToken(unverified) })
    expect(failure(result)).toEqual({ status: 401, reason: 'ID_TOKEN_INVALID' })
  })

  test('a nonce must match the token’s: given and equal, mismatched, or missing', async () => {
    const t = createIdpIssuer()
    const idToken = await signIdToken(idClaims(t, { nonce: 'n-0S6_WzA2Mj' }))
    const wrong = await signInWithIdToken(t, { idToken, nonce: 'another' })
    expect(failure(wrong)).toEqual({ status: 401, reason: 'ID_TOKEN_INVALID' })
    expect(failure(await signInWithIdToken(t, { idToken }))).toEqual({
      status: 401,
      reason: 'ID_TOKEN_INVALID',
    })
    expect((await signInWithIdToken(t, { idToken, nonce: 'n-0S6_WzA2Mj' })).status).toBe(200)
    const noNonce = await signIdToken(idClaims(t))
    const asked = await signInWithIdToken(t, { idToken: noNonce, nonce: 'n-0S6_WzA2Mj' })
    expect(failure(asked)).toEqual({ status: 401, reason: 'ID_TOKEN_INVALID' })
  })

  test('cookie delivery sets the refresh cookie and returns no refresh token', async () => {
    const t = createIdpIssuer()
    const result = await t.call(
      'auth.signInWithIdToken',
      { idToken: await signIdToken(idClaims(t)), delivery: 'cookie' },
      { headers: { origin: 'http://localhost:8787' } },
    )
    expect(result.status).toBe(200)
    expect(result.body.result.data.refreshToken).toBeUndefined()
    expect(result.headers.get('set-cookie')).toContain('__Secure-rotor-refresh=')
  })

  test('sign-ins per user are limited like legacy exchanges', async () => {
    const t = createIdpIssuer(undefined, { RATE_LIMIT_EXCHANGE_USER: '2/3600' })
    const claims = idClaims(t)
    const idToken = await signIdToken(claims)
    expect((await signInWithIdToken(t, { idToken })).status).toBe(200)
    expect((await signInWithIdToken(t, { idToken })).status).toBe(200)
    const third = await signInWithIdToken(t, { idToken })
    expect(failure(third)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(third.headers.get('retry-after')).toBeTruthy()
  })
})
