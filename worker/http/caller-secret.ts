import { timingSafeEqual } from 'node:crypto'

/**
 * Whether an `Authorization` header carries `secret`, as a Bearer token or as the password of
 * HTTP Basic. Service-to-service callers (introspection, operator routes) authenticate this way.
 * An unset secret admits no one.
 */
export async function carriesSecret(header: string | null, secret: string | undefined) {
  if (!secret || !header) return false
  const presented = presentedSecret(header)
  if (presented === undefined) return false
  // Compare digests so neither length nor content leaks through timing.
  const [a, b] = await Promise.all([digest(presented), secretDigest(secret)])
  return timingSafeEqual(a, b)
}

// The configured secrets are few and fixed per isolate: each is digested once, not per request
// (strict-mode verifiers introspect on every call).
const secretDigests = new Map<string, Promise<Uint8Array>>()

function secretDigest(secret: string): Promise<Uint8Array> {
  let found = secretDigests.get(secret)
  if (!found) secretDigests.set(secret, (found = digest(secret)))
  return found
}

function presentedSecret(header: string): string | undefined {
  const [scheme, value] = header.trim().split(/\s+/, 2)
  if (!value || value.length > 1024) return undefined
  if (scheme?.toLowerCase() === 'bearer') return value
  if (scheme?.toLowerCase() !== 'basic') return undefined
  try {
    const decoded = atob(value)
    const colon = decoded.indexOf(':')
    return colon > 0 ? decodeURIComponent(decoded.slice(colon + 1)) : undefined
  } catch {
    return undefined
  }
}

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)))
}
