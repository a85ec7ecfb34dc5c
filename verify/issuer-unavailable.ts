import { RotorError } from '../contract/index.ts'

/** What the verifier was asking the issuer for when it failed. */
export type IssuerStep = 'jwks' | 'introspection' | 'legacy'

/**
 * The `ISSUER_UNAVAILABLE` refusal (503) for a resource worker that cannot reach its issuer,
 * after one structured log line for the operator. `detail` is a status or an error's message,
 * never a request: no token reaches the log.
 */
export function issuerUnavailable(step: IssuerStep, detail: unknown): RotorError {
  const message = detail instanceof Error ? `${detail.name}: ${detail.message}` : String(detail)
  const line = { level: 'error', msg: 'issuer unavailable', reason: 'ISSUER_UNAVAILABLE', step }
  console.error(JSON.stringify({ ...line, detail: message }))
  return new RotorError('ISSUER_UNAVAILABLE', 'The token issuer cannot be reached; try again', {
    cause: detail,
  })
}

/** A request to the issuer whose failure to answer, or a non-2xx answer, is `ISSUER_UNAVAILABLE`. */
export async function askIssuer(
  step: IssuerStep,
  send: () => Promise<Response>,
  answered: (status: number) => boolean = (status) => status >= 200 && status < 300,
): Promise<Response> {
  let response: Response
  try {
    response = await send()
  } catch (error) {
    throw issuerUnavailable(step, error)
  }
  if (!answered(response.status)) {
    await response.body?.cancel()
    throw issuerUnavailable(step, `HTTP ${response.status}`)
  }
  return response
}

/** The JSON body of an issuer's answer; one that is not JSON is `ISSUER_UNAVAILABLE`. */
export async function issuerJson(step: IssuerStep, response: Response): Promise<unknown> {
  try {
    return await response.json()
  } catch (error) {
    throw issuerUnavailable(step, error)
  }
}
