import { errorResponse } from './error-response.ts'

/**
 * The request tRPC reads, with its body checked as text: JSON is UTF-8 (RFC 8259 §8.1), so a body
 * declared in another charset is refused with 415 before it is read, and bytes that are not UTF-8
 * with `INVALID_INPUT`. Decoded leniently, each invalid sequence would become U+FFFD, and two
 * different passwords the same one. Answers the refusal as a `Response`.
 */
export async function utf8Request(req: Request): Promise<Request | Response> {
  const charset = charsetOf(req.headers.get('content-type'))
  if (charset !== undefined && !UTF8_LABELS.has(charset)) {
    return errorResponse(
      'INVALID_INPUT',
      'Request bodies must be UTF-8 (send charset=utf-8, or no charset)',
      {},
      'UNSUPPORTED_MEDIA_TYPE',
    )
  }
  if (req.body === null) return req
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(
      await req.arrayBuffer(),
    )
  } catch {
    return errorResponse('INVALID_INPUT', 'Request body is not valid UTF-8')
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body: text })
}

const UTF8_LABELS: ReadonlySet<string> = new Set(['utf-8', 'utf8'])

/** The `charset` parameter of a media type (RFC 9110 §8.3.1), lower-cased and unquoted. */
function charsetOf(contentType: string | null): string | undefined {
  if (contentType === null) return undefined
  for (const parameter of contentType.split(';').slice(1)) {
    const [name, ...value] = parameter.split('=')
    if (name?.trim().toLowerCase() !== 'charset') continue
    return value
      .join('=')
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase()
  }
  return undefined
}
