import { oauthError } from './oauth-response.ts'

/** The parameters of one OAuth request, each sent at most once. */
export type OAuthForm = ReadonlyMap<string, string>

/**
 * The fields of an `application/x-www-form-urlencoded` body, parsed once, or the
 * `invalid_request` answer for any other body or for a parameter sent twice: RFC 6749 §3.2 and
 * RFC 7009/7662 forbid repeats, and `form.get()` would quietly act on the first of them.
 */
export async function readForm(request: Request): Promise<OAuthForm | Response> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError('invalid_request', 'Send an application/x-www-form-urlencoded body')
  }
  let fields: URLSearchParams
  try {
    // Decoded by hand: workerd warns when `.text()` reads a form body.
    fields = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()))
  } catch {
    return oauthError('invalid_request', 'The body could not be read')
  }
  const form = new Map<string, string>()
  for (const [name, value] of fields) {
    if (form.has(name)) return oauthError('invalid_request', `${safeName(name)} is repeated`)
    form.set(name, value)
  }
  return form
}

/**
 * A parameter the request must carry, or the `invalid_request` answer. An empty value counts as
 * absent (RFC 6749 §3.1).
 */
export function requiredParam(form: OAuthForm, name: string): string | Response {
  const value = form.get(name)
  if (value === undefined || value === '')
    return oauthError('invalid_request', `${name} is required`)
  return value
}

/**
 * The `token` parameter that RFC 7009 revocation and RFC 7662 introspection both take, or the
 * `invalid_request` answer.
 */
export async function readTokenParam(request: Request): Promise<string | Response> {
  const form = await readForm(request)
  return form instanceof Response ? form : requiredParam(form, 'token')
}

// The name is the caller's own text: keep it short and printable before echoing it back.
function safeName(name: string): string {
  const printable = name.slice(0, 40).replace(/[^\x21-\x7e]/g, '?')
  return printable === '' ? 'A parameter' : printable
}
