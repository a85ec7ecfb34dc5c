import type { MfaStore } from './mfa-store.ts'
import type { RecoveryStore } from './recovery-store.ts'
import type { SessionStore } from './session-store.ts'

type Store = SessionStore & RecoveryStore & MfaStore

/**
 * Every store method whose batch may set a session's `revoked_at`: a sign-in voided by a racing
 * reset, sign-out, sign-out everywhere, a password change, a reset, disabling the second factor. The revocation trigger moves
 * the feed on whichever path revokes; this list only lets the isolate that revoked see it at once.
 */
const REVOKING = [
  'createSession',
  'revokeSession',
  'revokeUserSessions',
  'consumeReset',
  'disableFactor',
] as const

/**
 * The store, calling `onRevoke` once each revoking method's batch has settled (committed or not:
 * a failed call may still have written). Other isolates see a revocation when their cached feed
 * expires (README: Revocation feed).
 */
export function withRevocationHook<T extends Store>(store: T, onRevoke: () => void): T {
  const hooked: Partial<Store> = {}
  for (const name of REVOKING) {
    const method = store[name] as (...args: unknown[]) => Promise<unknown>
    Object.assign(hooked, {
      [name]: (...args: unknown[]) => method.apply(store, args).finally(onRevoke),
    })
  }
  return { ...store, ...hooked }
}
