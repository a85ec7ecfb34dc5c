import type { MfaStore } from './mfa-store.ts'
import type { RecoveryStore } from './recovery-store.ts'
import type { SessionStore } from './session-store.ts'

type Store = SessionStore & RecoveryStore & MfaStore

/**
/**
 * Every store method whose batch may set a session's `revoked_at`, and how its answer tells that
 * it did: a sign-in voided by a racing reset, sign-out, sign-out everywhere, a password change, a
 * reset, disabling the second factor. The revocation trigger moves the feed on whichever path
 * revokes; this list only lets the isolate that revoked see it at once, and keeps sign-ins that
 * revoke nothing from rebuilding it.
 */
const REVOKING = {
  createSession: (outcome: Awaited<ReturnType<Store['createSession']>>) => outcome === 'stale',
  revokeSession: (outcome: Awaited<ReturnType<Store['revokeSession']>>) => outcome === 'revoked',
  revokeUserSessions: (revoked: number) => revoked > 0,
  consumeReset: (outcome: Awaited<ReturnType<Store['consumeReset']>>) => outcome.revoked > 0,
  disableFactor: (revoked: number) => revoked > 0,
} satisfies { [Name in keyof Store]?: (outcome: never) => boolean }

/**
 * The store, calling `onRevoke` once a revoking method's batch revoked a session, or failed (a
 * failed call may still have written). Other isolates see a revocation when their cached feed
 * expires (README: Revocation feed).
 */
export function withRevocationHook<T extends Store>(store: T, onRevoke: () => void): T {
  const hooked: Partial<Store> = {}
  for (const [name, revoked] of Object.entries(REVOKING)) {
    const method = store[name as keyof typeof REVOKING] as (...args: unknown[]) => Promise<never>
    Object.assign(hooked, {
      [name]: (...args: unknown[]) =>
        method.apply(store, args).then(
          (outcome) => {
            if (revoked(outcome)) onRevoke()
            return outcome
          },
          (error: unknown) => {
            onRevoke()
            throw error
          },
        ),
    })
  }
  return { ...store, ...hooked }
}
