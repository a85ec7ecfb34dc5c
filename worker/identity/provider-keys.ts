import { createRemoteJWKSet, customFetch } from 'jose'
import { ConfigError } from '../config/config-error.ts'
import type { JWTVerifyGetKey } from 'jose'
import type { OidcProvider } from '../config/oidc-providers.ts'

/** A configured provider with the key set its ID tokens are verified against. */
export type ProviderKeys = { provider: OidcProvider; keys: JWTVerifyGetKey }
/** Providers by issuer URL, as a token's `iss` names them. */
export type ProviderDirectory = ReadonlyMap<string, ProviderKeys>

type Fetcher = { fetch(input: string, init?: RequestInit): Promise<Response> }

/**
 * One remote key set per provider, made once per isolate: jose caches the JWKS (10 min) and
 * refetches on an unknown `kid` at most every 30 s, so a stream of forged kids cannot hammer the
 * provider. A provider naming `jwks_binding` is fetched through that service binding.
 */
export function createProviderDirectory(
  providers: readonly OidcProvider[],
  env: Readonly<Record<string, unknown>>,
): ProviderDirectory {
  const directory = new Map<string, ProviderKeys>()
  for (const provider of providers) {
    const binding = bindingOf(provider, env)
    const keys = createRemoteJWKSet(new URL(provider.jwksUri), {
      timeoutDuration: 5_000,
      ...(binding && {
        [customFetch]: (url: string, init: RequestInit) => binding.fetch(url, init),
      }),
    })
    directory.set(provider.issuer, { provider, keys })
  }
  return directory
}

function bindingOf(
  provider: OidcProvider,
  env: Readonly<Record<string, unknown>>,
): Fetcher | undefined {
  if (provider.jwksBinding === undefined) return undefined
  const binding = env[provider.jwksBinding]
  if (!isFetcher(binding)) {
    throw new ConfigError(
      `OIDC_PROVIDERS jwks_binding ${provider.jwksBinding} names no service binding`,
    )
  }
  return binding
}

function isFetcher(value: unknown): value is Fetcher {
  return typeof (value as Fetcher | undefined)?.fetch === 'function'
}
