import { bearerChallenge } from '../../verify/bearer-challenge.ts'
import { carriesSecret } from './caller-secret.ts'
import { errorResponse } from './error-response.ts'
import type { Issuer } from '../issuer.ts'

/**
 * The refusal for a request to an operator route without `Authorization: Bearer <ADMIN_SECRET>`
 * (everyone is refused while the secret is unset), or `undefined` when it carries the secret.
 */
export async function adminRefusal(
  issuer: Issuer,
  request: Request,
  what: string,
): Promise<Response | undefined> {
  const authorization = request.headers.get('authorization')
  if (await carriesSecret(authorization, issuer.adminSecret)) return undefined
  const challenge = bearerChallenge('TOKEN_INVALID', { sentToken: authorization !== null })
  return errorResponse('TOKEN_INVALID', `${what} needs the operator secret`, {
    'www-authenticate': challenge,
  })
}
