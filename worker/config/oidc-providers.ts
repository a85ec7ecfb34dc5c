import { ConfigError } from './config-error.ts'

/** Asymmetric JWS algorithms an ID token may be signed with; HS* and `none` are never accepted. */
export const ID_TOKEN_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const
export type IdTokenAlg = (typeof ID_TOKEN_ALGS)[number]

/** One OpenID provider whose ID tokens may start a session (`OIDC_PROVIDERS`). */
export type OidcProvider = {
  /** The provider's issuer URL, compared exactly with the token's `iss`; the identity's provider. */
  issuer: string
  /** This application's client id at the provider: the token's `aud` must name it. */
  audience: string
  /** Where the provider publishes its keys (`jwks_uri` of its discovery document). */
  jwksUri: string
  /** Algorithms the provider signs with, pinned; asymmetric only. */
  algorithms: readonly IdTokenAlg[]
  /** Whether a subject that links no user creates one (with the token's verified email). */
  createUsers: boolean
  /** Whether a token must carry `email_verified: true` to be accepted at all. */
  requireEmailVerified: boolean
  /** Seconds an ID token may be old by its `iat` (and live by `exp - iat`). @default 86400 */
  maxTokenAge: number
  /** A service binding the JWKS is fetched through instead of the public internet, if named. */
  jwksBinding: string | undefined
}

const FIELDS = new Set([
  'issuer',
  'audience',
  'jwks_uri',
  'algorithms',
  'create_users',
  'require_email_verified',
  'max_token_age',
  'jwks_binding',
])

/**
 * `OIDC_PROVIDERS`: a JSON array of providers, each
 * `{ issuer, audience, jwks_uri, algorithms, create_users?, require_email_verified?,
 * max_token_age?, jwks_binding? }`. Unset or empty: no ID token is accepted. Throws a
 * `ConfigError` naming the provider and the field.
 */
export function parseOidcProviders(env: Readonly<Record<string, unknown>>): OidcProvider[] {
  const raw = env.OIDC_PROVIDERS
  if (raw === undefined || raw === '') return []
  let list: unknown
  try {
    list = typeof raw === 'string' ? JSON.parse(raw) : raw
  } catch {
    throw new ConfigError('OIDC_PROVIDERS must be JSON: an array of providers')
  }
  if (!Array.isArray(list)) throw new ConfigError('OIDC_PROVIDERS must be an array of providers')
  const providers = list.map((entry, index) => parseProvider(entry, `OIDC_PROVIDERS[${index}]`))
  const issuers = new Set(providers.map((provider) => provider.issuer))
  if (issuers.size !== providers.length) {
    throw new ConfigError('OIDC_PROVIDERS names an issuer twice')
  }
  return providers
}

function parseProvider(entry: unknown, name: string): OidcProvider {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new ConfigError(`${name} must be an object`)
  }
  const fields = entry as Record<string, unknown>
  const unknown = Object.keys(fields).find((key) => !FIELDS.has(key))
  if (unknown !== undefined) throw new ConfigError(`${name} has an unknown field ${unknown}`)
  const algorithms = fields.algorithms
  if (
    !Array.isArray(algorithms) ||
    algorithms.length === 0 ||
    !algorithms.every((alg) => ID_TOKEN_ALGS.includes(alg))
  ) {
    throw new ConfigError(
      `${name}.algorithms must list the provider's algorithms from ${ID_TOKEN_ALGS.join(', ')} (no HS* or none)`,
    )
  }
  return {
    issuer: readUrl(fields, 'issuer', name),
    audience: readText(fields, 'audience', name),
    jwksUri: readUrl(fields, 'jwks_uri', name),
    algorithms: [...new Set(algorithms as IdTokenAlg[])],
    createUsers: readFlag(fields, 'create_users', name),
    requireEmailVerified: readFlag(fields, 'require_email_verified', name),
    maxTokenAge: readAge(fields, name),
    jwksBinding:
      fields.jwks_binding === undefined ? undefined : readText(fields, 'jwks_binding', name),
  }
}

function readText(fields: Record<string, unknown>, key: string, name: string): string {
  const value = fields[key]
  if (typeof value !== 'string' || value.trim() === '' || value.length > 512) {
    throw new ConfigError(`${name}.${key} must be a non-empty string`)
  }
  return value
}

// The keys that decide who signs in are fetched over HTTPS; plain HTTP only on this machine.
function readUrl(fields: Record<string, unknown>, key: string, name: string): string {
  const value = readText(fields, key, name)
  const url = URL.canParse(value) ? new URL(value) : undefined
  const local = url?.hostname === 'localhost' || url?.hostname === '127.0.0.1'
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && local))) {
    throw new ConfigError(`${name}.${key} must be an https:// URL`)
  }
  return value
}

function readFlag(fields: Record<string, unknown>, key: string, name: string): boolean {
  const value = fields[key] ?? false
  if (typeof value !== 'boolean') throw new ConfigError(`${name}.${key} must be true or false`)
  return value
}

function readAge(fields: Record<string, unknown>, name: string): number {
  const value = fields.max_token_age ?? 86_400
  if (!Number.isInteger(value) || (value as number) < 60 || (value as number) > 604_800) {
    throw new ConfigError(
      `${name}.max_token_age must be a whole number of seconds from 60 to 604800`,
    )
  }
  return value as number
}
