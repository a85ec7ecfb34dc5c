import { ROUTES, issuerUrl } from '../contract/index.ts'
import { askIssuer, issuerJson } from './issuer-unavailable.ts'
import { fetchIssuer } from './remote-keys.ts'
import type { IssuerFetcher } from './remote-keys.ts'

export type IntrospectionOptions = {
  issuer: string
  /** The service binding to the issuer; without one, plain `fetch` to the issuer's URL. */
  via: IssuerFetcher | undefined
  secret: string
}

/**
 * RFC 7662 introspection: whether the issuer still holds the token's session live. An issuer that
 * does not answer (or answers an error) is `ISSUER_UNAVAILABLE`: strict mode cannot tell.
 */
export async function isTokenActive(
  options: IntrospectionOptions,
  token: string,
): Promise<boolean> {
  const url = issuerUrl(options.issuer, ROUTES.introspect)
  const init: RequestInit = {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Bearer ${options.secret}`,
    },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
  }
  const response = await askIssuer('introspection', () => fetchIssuer(options.via, url, init))
  const body = (await issuerJson('introspection', response)) as { active?: unknown } | null
  return body?.active === true
}
