import { ROUTES, issuerUrl } from '../../contract/index.ts'
import { grantTypes } from './token-endpoint.ts'
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
    // Rotor's own name (not registered): the Token Status List every access token's `status`
    // claim points to. The draft's `status_list_aggregation_endpoint` answers a list of lists.
    rotor_revocation_feed_uri: at(ROUTES.revocationFeed),
    // Password sign-in happens through auth.login; the OAuth way offers refresh, and the RFC 8693
    // exchange of an OpenID provider's ID token for a session when OIDC_PROVIDERS names any.
    response_types_supported: [],
    grant_types_supported: grantTypes(config),
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'bearer'],
  }
}
