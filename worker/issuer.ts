import { ConfigError, parseConfig } from './config/config.ts'
import type { Config } from './config/config.ts'
import { parseUpstreamSettings } from './config/upstream-config.ts'
import type { UpstreamSettings } from './config/upstream-config.ts'
import { createProviderDirectory } from './identity/provider-keys.ts'
import type { ProviderDirectory } from './identity/provider-keys.ts'
import { createKeyRing } from './keys/key-ring.ts'
import type { KeyRing } from './keys/key-ring.ts'
import { parseLegacySettings } from './legacy/legacy-settings.ts'
import type { LegacySettings } from './legacy/legacy-settings.ts'
import { waitUntil } from 'cloudflare:workers'
import { createMailTransport } from './mail/create-transport.ts'
import type { MailEnv } from './mail/create-transport.ts'
import type { MailTransport } from './mail/transport.ts'
import { createD1Store } from './store/d1-store.ts'
import { withRevocationHook } from './store/revocation-hook.ts'
import { createRevocationFeed } from './feed/revocation-feed.ts'
import type { RevocationFeed } from './feed/revocation-feed.ts'
import type { MfaStore } from './store/mfa-store.ts'
import type { RecoveryStore } from './store/recovery-store.ts'
import type { SessionStore } from './store/session-store.ts'

/** What every flow needs: configuration, keys, storage and the clock (epoch ms), as seams. */
export type Issuer = {
  config: Config
  keys: KeyRing
  store: SessionStore & RecoveryStore & MfaStore
  now: () => number
  /** Shared with resource servers that introspect; introspection is refused when unset. */
  introspectionSecret: string | undefined
  /** Legacy-token migration (DESIGN §8): the phase settings (usage is counted in the store). */
  legacy: LegacySettings
  /** Guards operator routes (the legacy report); they refuse everyone when unset. */
  adminSecret: string | undefined
  /** The one configured mail transport (`MAIL_TRANSPORT`; README: Recovery and verification). */
  mail: MailTransport
  /** What one-time codes are keyed with (HKDF input): the signing-key secret, never stored. */
  codeSecret: string
  /** Runs `task` past the response (`waitUntil`): mail sent after the answer is decided. */
  defer: (task: Promise<unknown>) => void
  /** Lazy migration: the password service asked about users without a password here yet. */
  upstream: UpstreamSettings | undefined
  /** The OpenID providers of `OIDC_PROVIDERS` by issuer URL, each with its remote key set. */
  oidc: ProviderDirectory
  /** The revocation feed verifiers poll, cached per isolate (README: Revocation feed). */
  feed: RevocationFeed
  /**
   * What TOTP secrets are sealed and recovery codes keyed with (HKDF input; README: Second
   * factor): `MFA_ENCRYPTION_KEY`, never stored. Unset, no factor can be enrolled or checked.
   */
  mfaKey: string | undefined
}

export type IssuerEnv = {
  DB: D1Database
  SIGNING_KEYS?: string
  INTROSPECTION_SECRET?: string
  ADMIN_SECRET?: string
  UPSTREAM_PASSWORDS?: Fetcher
  UPSTREAM_PASSWORD_SECRET?: string
  MFA_ENCRYPTION_KEY?: string
} & MailEnv &
  Readonly<Record<string, unknown>>

/** Parses and checks the whole configuration; throws a `ConfigError` naming the bad value. */
export function createIssuer(env: IssuerEnv, now: () => number = Date.now): Issuer {
  const config = parseConfig(env)
  const webhookSecret = readSecret('MAIL_WEBHOOK_SECRET', env.MAIL_WEBHOOK_SECRET)
  if (config.mail.transport === 'webhook' && webhookSecret === undefined) {
    throw new ConfigError('MAIL_WEBHOOK_SECRET is missing: MAIL_TRANSPORT "webhook" signs with it')
  }
  const keys = createKeyRing(env.SIGNING_KEYS, config.signingAlg)
  // A revocation in this isolate shows in its very next feed; other isolates', within a second.
  const store = withRevocationHook(createD1Store(env.DB), () => feed.invalidate())
  const feed = createRevocationFeed({ store, keys, config, now, defer: waitUntil })
  return {
    config,
    keys,
    store,
    now,
    mail: createMailTransport(config.mail, env, store, now),
    codeSecret: env.SIGNING_KEYS ?? '',
    defer: waitUntil,
    introspectionSecret: readSecret('INTROSPECTION_SECRET', env.INTROSPECTION_SECRET),
    adminSecret: readSecret('ADMIN_SECRET', env.ADMIN_SECRET),
    legacy: parseLegacySettings(env, config),
    upstream: parseUpstreamSettings(env),
    oidc: createProviderDirectory(config.oidcProviders, env),
    feed,
    mfaKey: readSecret('MFA_ENCRYPTION_KEY', env.MFA_ENCRYPTION_KEY),
  }
}

function readSecret(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  if (value.length < 32) throw new ConfigError(`${name} must be at least 32 characters`)
  return value
}
