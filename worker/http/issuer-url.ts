/**
 * A route of the issuer at `path`, appended to `ISSUER` rather than resolved against it, so an
 * issuer served under a path (`https://auth.example.com/tenant-a`) keeps it (RFC 8414 §3).
 */
export function issuerUrl(issuer: string, path: string): string {
  return `${issuer.replace(/\/+$/, '')}${path}`
}
