import { env } from 'cloudflare:workers'
import { createTestIssuer } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

/** The test provider's issuer URL; its keys are fetched through the TEST_OIDC_PROVIDER binding. */
export const PROVIDER = 'https://idp.test'
export const CLIENT_AT_PROVIDER = 'rotor-app'

/** One `OIDC_PROVIDERS` entry for the test provider, with overrides. */
export function providerEntry(overrides: Record<string, unknown> = {}) {
  return {
    issuer: PROVIDER,
    audience: CLIENT_AT_PROVIDER,
    jwks_uri: `${PROVIDER}/jwks`,
    algorithms: ['ES256', 'RS256'],
    create_users: true,
    jwks_binding: 'TEST_OIDC_PROVIDER',
    ...overrides,
  }
}

/** A test issuer trusting the test provider (or the given entries). */
export function createIdpIssuer(
  entries: Record<string, unknown>[] = [providerEntry()],
  vars: Record<string, string> = {},
): TestIssuer {
  return createTestIssuer({ OIDC_PROVIDERS: JSON.stringify(entries), ...vars })
}

let counter = 0

/** Claims of a fresh, valid ID token at the issuer's clock: a new subject and verified email. */
export function idClaims(t: TestIssuer, overrides: Record<string, unknown> = {}) {
  const iat = Math.floor(t.issuer.now() / 1000)
  const unique = `${Date.now()}-${++counter}-${crypto.randomUUID().slice(0, 8)}`
  return {
    iss: PROVIDER,
    aud: CLIENT_AT_PROVIDER,
    sub: `idp-user-${unique}`,
    iat,
    exp: iat + 600,
    email: `idp-${unique}@example.com`,
    email_verified: true,
    ...overrides,
  }
}

/** An ID token signed by the test provider (`kid` "hidden" is a key it never published). */
export async function signIdToken(
  claims: Record<string, unknown>,
  options: { kid?: 'es-1' | 'rs-1' | 'hidden'; typ?: string } = {},
): Promise<string> {
  const response = await env.TEST_OIDC_PROVIDER.fetch(`${PROVIDER}/sign`, {
    method: 'POST',
    body: JSON.stringify({ claims, ...options }),
  })
  if (response.status !== 200) throw new Error(`sign failed: ${await response.text()}`)
  return response.text()
}

/** `auth.signInWithIdToken` with body delivery. */
export const signInWithIdToken = (t: TestIssuer, input: Record<string, unknown>) =>
  t.call('auth.signInWithIdToken', input)
