// One id per request, however many places ask: audit rows and log lines of a request then agree.
const ids = new WeakMap<Request, string>()

// Cloudflare's ray id (`8c3f5e9a1b2d4c6e-LHR`); any other value there did not come from Cloudflare.
const RAY_ID = /^[0-9a-f]{16}(-[A-Z]{3})?$/

/**
 * The request's id for audit rows and structured logs: Cloudflare's `cf-ray`, which the operator
 * can look up in Cloudflare's own logs, or a generated one where there is none (local runs, tests
 * that send none, a value that is not a ray id).
 */
export function requestIdOf(request: Request): string {
  let id = ids.get(request)
  if (id === undefined) {
    const ray = request.headers.get('cf-ray')
    id = ray !== null && RAY_ID.test(ray) ? ray : crypto.randomUUID()
    ids.set(request, id)
  }
  return id
}
