import { RotorError } from '../../contract/index.ts'

/**
 * Cookie-authenticated calls must come from a listed origin: the cookie is sent by the browser on
 * its own, so the `Origin` header is what tells a page of ours from a forged request.
 */
export function assertAllowedOrigin(headers: Headers, allowedOrigins: readonly string[]): void {
  const origin = headers.get('origin')
  if (origin === null || !allowedOrigins.includes(origin)) {
    throw new RotorError('ORIGIN_REJECTED', 'This origin may not use cookie sign-in')
  }
}
