export type TrpcResponse = { status: number; body: any }

/**
 * One tRPC call over plain HTTP, as any non-TypeScript client would make it: queries are GETs,
 * mutations POST their input as JSON, and the access token travels as a bearer.
 */
export async function callTrpc(
  baseUrl: string,
  path: string,
  options: { input?: unknown; token?: string; query?: boolean } = {},
): Promise<TrpcResponse> {
  const headers: Record<string, string> = {}
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let url = `${baseUrl}/trpc/${path}`
  let body: string | undefined
  if (options.query) {
    if (options.input !== undefined)
      url += `?input=${encodeURIComponent(JSON.stringify(options.input))}`
  } else {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.input ?? {})
  }
  const response = await fetch(url, { method: options.query ? 'GET' : 'POST', headers, body })
  return { status: response.status, body: await response.json() }
}
