import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose'
import { ConfigError } from '../../../worker/config/config.ts'
import { createIssuer } from '../../../worker/issuer.ts'
import { parseLegacySettings } from '../../../worker/legacy/legacy-settings.ts'
import { SUNSET } from './helpers.ts'

const rsa = await generateKeyPair('RS256', { extractable: true })
const privateJwk = await exportJWK(rsa.privateKey)
const publicJwk = await exportJWK(rsa.publicKey)
const config = { legacyMode: 'monitor', clockSkewLeeway: 30 } as const
const secret = { LEGACY_JWT_SECRET: 'fleet-secret' }

describe('legacy settings are checked at start-up', () => {
  test('the wrangler.toml defaults: off, 90 days, no sunset, no key', () => {
    expect(parseLegacySettings({ ...env }, { legacyMode: 'off', clockSkewLeeway: 30 })).toEqual({
      mode: 'off',
      maxAge: 7_776_000,
      sunset: undefined,
      key: undefined,
      leeway: 30,
    })
  })

  test.each([
    ['LEGACY_MAX_AGE', { ...secret, LEGACY_MAX_AGE: 'forever' }],
    ['LEGACY_MAX_AGE', { ...secret, LEGACY_MAX_AGE: '1.5' }],
    ['LEGACY_SUNSET', { ...secret, LEGACY_SUNSET: '2027-06-30' }],
    ['LEGACY_SUNSET', { ...secret, LEGACY_SUNSET: 'Mon, 30 Jun 2027 00:00:00 GMT' }],
    ['LEGACY_JWT_SECRET', {}],
    ['LEGACY_PUBLIC_KEY', { LEGACY_PUBLIC_KEY: 'not a key' }],
    ['LEGACY_PUBLIC_KEY', { LEGACY_PUBLIC_KEY: JSON.stringify(privateJwk) }],
    ['LEGACY_PUBLIC_KEY', { LEGACY_PUBLIC_KEY: JSON.stringify({ ...publicJwk, alg: 'RS512' }) }],
    ['LEGACY_PUBLIC_KEY', { ...secret, LEGACY_PUBLIC_KEY: JSON.stringify(publicJwk) }],
  ])('%s: a bad or missing value fails naming it', (name, vars) => {
    expect(() => parseLegacySettings(vars, config)).toThrow(ConfigError)
    expect(() => parseLegacySettings(vars, config)).toThrow(name)
  })

  test('a private PEM is not a public key', async () => {
    const pem = await exportPKCS8(rsa.privateKey)
    expect(() => parseLegacySettings({ LEGACY_PUBLIC_KEY: pem }, config)).toThrow(
      'LEGACY_PUBLIC_KEY',
    )
  })

  test('warn needs LEGACY_SUNSET; off needs no key', () => {
    const warn = { legacyMode: 'warn', clockSkewLeeway: 30 } as const
    expect(() => parseLegacySettings(secret, warn)).toThrow('LEGACY_SUNSET')
    expect(parseLegacySettings({ ...secret, LEGACY_SUNSET: SUNSET }, warn).sunset).toBe(SUNSET)
    expect(parseLegacySettings({}, { ...config, legacyMode: 'off' }).key).toBeUndefined()
  })

  test('each key pins its algorithm', async () => {
    expect(parseLegacySettings(secret, config).key?.alg).toBe('HS256')
    const pem = await exportSPKI(rsa.publicKey)
    expect(parseLegacySettings({ LEGACY_PUBLIC_KEY: pem }, config).key?.alg).toBe('RS256')
  })

  test('the issuer refuses to start in monitor without a key, naming the values', () => {
    expect(() => createIssuer({ ...env, LEGACY_MODE: 'monitor' })).toThrow(ConfigError)
    expect(() => createIssuer({ ...env, LEGACY_MODE: 'monitor' })).toThrow('LEGACY_JWT_SECRET')
  })
})
