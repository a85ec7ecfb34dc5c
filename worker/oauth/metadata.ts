import { issuerUrl } from '../../contract/index.ts'
import type { Config } from '../config/config.ts'

/** `GET /.well-known/oauth-authorization-server` (RFC 8414). */
export function authorizationServerMetadata(config: Config) {
  const at = (path: string) => issuerUrl(config.issuer, path)
  return {
    issuer: config.issuer,
    jwks_uri: at('/.well-known/jwks.json'),
    token_endpoint: at('/oauth/token'),
    revocation_endpoint: at('/oauth/revoke'),
    introspection_endpoint: at('/oauth/introspect'),
    // Sign-in happens through auth.login; only refresh is offered the OAuth way.
    response_types_supported: [],
    grant_types_supported: ['refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'bearer'],
  }
}
