import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { ConfigError, parseConfig } from '../../worker/config/config.ts'

describe('configuration', () => {
  test('the wrangler.toml defaults parse to the documented values', () => {
    expect(parseConfig(env)).toEqual({
      issuer: 'http://localhost:8787',
      audience: 'rotor',
      accessTokenTtl: 900,
      refreshIdleTtl: 604_800,
      sessionMaxAge: 2_592_000,
      refreshReuseGrace: 10,
      clockSkewLeeway: 30,
      signingAlg: 'ES256',
      allowedOrigins: ['http://localhost:8787'],
      clientIds: { ids: ['web', 'ios', 'android', 'cli'], default: 'web' },
      legacyMode: 'off',
      rateLimits: {
        loginIp: { limit: 60, window: 60 },
        loginAccount: { limit: 10, window: 900 },
        loginBackoffAfter: 5,
        registerIp: { limit: 30, window: 3600 },
        refreshSession: { limit: 60, window: 60 },
        refreshIp: { limit: 60, window: 60 },
        exchangeUser: { limit: 10, window: 3600 },
        revokeIp: { limit: 30, window: 60 },
        codeRequestIp: { limit: 20, window: 3600 },
        codeRequestAccount: { limit: 5, window: 3600 },
        codeAttemptIp: { limit: 30, window: 900 },
        codeAttemptAccount: { limit: 10, window: 900 },
        mfaIp: { limit: 30, window: 900 },
        mfaAccount: { limit: 10, window: 3600 },
      },
      anomalyPolicy: 'flag',
      auditRetention: 7_776_000,
      demo: false,
      oidcProviders: [],
      mail: {
        transport: 'off',
        from: 'rotor@localhost',
        webhookUrl: undefined,
        timeout: 5,
        codeTtl: 900,
      },
      requireEmailVerified: false,
      revocationFeedResign: 60,
    })
  })

  test.each([
    ['ACCESS_TOKEN_TTL', 'abc'],
    ['ACCESS_TOKEN_TTL', '-5'],
    ['ACCESS_TOKEN_TTL', '1.5'],
    ['REFRESH_REUSE_GRACE', '9999'],
    ['CLOCK_SKEW_LEEWAY', '61'],
    ['SIGNING_ALG', 'HS256'],
    ['SIGNING_ALG', 'none'],
    ['LEGACY_MODE', 'sometimes'],
    ['DEMO', 'yes'],
    ['DEMO', 'ON'],
    ['ALLOWED_ORIGINS', 'http://ok.example,not a url'],
    ['ALLOWED_ORIGINS', 'https://app.example/path'],
    ['ISSUER', ''],
    ['ISSUER', 'not a url'],
    ['AUDIENCE', ''],
    ['RATE_LIMIT_LOGIN_IP', '60'],
    ['RATE_LIMIT_LOGIN_ACCOUNT', '0/900'],
    ['RATE_LIMIT_REFRESH_SESSION', 'lots'],
    ['RATE_LIMIT_REFRESH_IP', '5'],
    ['RATE_LIMIT_REVOKE_IP', '30/0'],
    ['RATE_LIMIT_LOGIN_BACKOFF_AFTER', '0'],
    ['RATE_LIMIT_LOGIN_BACKOFF_AFTER', 'never'],
    ['RATE_LIMIT_LOGIN_BACKOFF_AFTER', '2.5'],
    ['RATE_LIMIT_MFA_IP', '0/900'],
    ['RATE_LIMIT_MFA_ACCOUNT', '10'],
    ['ANOMALY_POLICY', 'panic'],
    ['CLIENT_IDS', 'web,,ios'],
    ['CLIENT_IDS', 'web,Web App'],
    ['CLIENT_IDS', 'web,ios,web'],
    ['CLIENT_IDS', 'x'.repeat(33)],
    ['REVOCATION_FEED_RESIGN', '0'],
    ['REVOCATION_FEED_RESIGN', '301'],
  ])('%s=%j fails at start-up naming the value', (name, value) => {
    expect(() => parseConfig({ ...env, [name]: value })).toThrow(ConfigError)
    expect(() => parseConfig({ ...env, [name]: value })).toThrow(name)
  })

  test('an idle lifetime longer than the absolute one is refused', () => {
    expect(() => parseConfig({ ...env, REFRESH_IDLE_TTL: '100', SESSION_MAX_AGE: '50' })).toThrow(
      'REFRESH_IDLE_TTL',
    )
  })
})
