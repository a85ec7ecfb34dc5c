/** The issuer's routes (DESIGN §6), relative to `ISSUER`. */
export const ROUTES = {
  trpc: '/trpc',
  jwks: '/.well-known/jwks.json',
  metadata: '/.well-known/oauth-authorization-server',
  token: '/oauth/token',
  revoke: '/oauth/revoke',
  introspect: '/oauth/introspect',
  /** The revocation feed (a Token Status List), named in every access token's `status` claim. */
  revocationFeed: '/.well-known/status-list',
  legacyReport: '/admin/legacy-report',
  usersImport: '/admin/users/import',
  health: '/healthz',
} as const

/**
 * A route of the issuer at `path`, appended to `ISSUER` rather than resolved against it, so an
 * issuer served under a path (`https://auth.example.com/tenant-a`) keeps it (RFC 8414 §3).
 */
export function issuerUrl(issuer: string, path: string): string {
  return `${issuer.replace(/\/+$/, '')}${path}`
}

/** The header a client may send with its version, counted beside its user agent (DESIGN §8). */
export const APP_VERSION_HEADER = 'x-app-version'
