// Secrets are not in wrangler.toml, so `wrangler types` cannot see them on a clean clone.
declare namespace Cloudflare {
  interface Env {
    /** JWK Set of private signing keys (README: key ring). */
    SIGNING_KEYS: string
  }
}
