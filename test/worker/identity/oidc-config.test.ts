import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { parseOidcProviders } from '../../../worker/config/oidc-providers.ts'
import { createIssuer } from '../../../worker/issuer.ts'
import { providerEntry } from './helpers.ts'

const parse = (value: unknown) => () => parseOidcProviders({ OIDC_PROVIDERS: value })
const one = (overrides: Record<string, unknown>) =>
  parse(JSON.stringify([providerEntry(overrides)]))

describe('OIDC_PROVIDERS', () => {
  test('unset or empty: no provider', () => {
    expect(parseOidcProviders({})).toEqual([])
    expect(parseOidcProviders({ OIDC_PROVIDERS: '' })).toEqual([])
  })

  test('a provider with its defaults', () => {
    const [provider] = one({ create_users: undefined })()
    expect(provider).toEqual({
      issuer: 'https://idp.test',
      audience: 'rotor-app',
      jwksUri: 'https://idp.test/jwks',
      algorithms: ['ES256', 'RS256'],
      createUsers: false,
      requireEmailVerified: false,
      maxTokenAge: 86_400,
      jwksBinding: 'TEST_OIDC_PROVIDER',
    })
  })

  test('bad values fail at start-up, naming the provider and the field', () => {
    expect(parse('{not json')).toThrow('OIDC_PROVIDERS must be JSON')
    expect(parse('{}')).toThrow('OIDC_PROVIDERS must be an array')
    expect(one({ algorithms: ['HS256'] })).toThrow(
      /OIDC_PROVIDERS\[0\]\.algorithms .*no HS\* or none/,
    )
    expect(one({ algorithms: ['none'] })).toThrow('OIDC_PROVIDERS[0].algorithms')
    expect(one({ algorithms: [] })).toThrow('OIDC_PROVIDERS[0].algorithms')
    expect(one({ audience: '' })).toThrow('OIDC_PROVIDERS[0].audience')
    expect(one({ jwks_uri: 'http://idp.example.com/jwks' })).toThrow(
      'OIDC_PROVIDERS[0].jwks_uri must be an https:// URL',
    )
    expect(one({ issuer: 'idp.test' })).toThrow('OIDC_PROVIDERS[0].issuer')
    expect(one({ create_users: 'yes' })).toThrow('OIDC_PROVIDERS[0].create_users')
    expect(one({ max_token_age: 10 })).toThrow('OIDC_PROVIDERS[0].max_token_age')
    expect(one({ client_secret: 'x' })).toThrow(
      'OIDC_PROVIDERS[0] has an unknown field client_secret',
    )
    const twice = JSON.stringify([providerEntry(), providerEntry()])
    expect(parse(twice)).toThrow('OIDC_PROVIDERS names an issuer twice')
  })

  test('a jwks_binding that names no binding fails when the issuer is built', () => {
    const vars = JSON.stringify([providerEntry({ jwks_binding: 'NO_SUCH_BINDING' })])
    expect(() => createIssuer({ ...env, OIDC_PROVIDERS: vars })).toThrow(
      'OIDC_PROVIDERS jwks_binding NO_SUCH_BINDING names no service binding',
    )
  })
})
