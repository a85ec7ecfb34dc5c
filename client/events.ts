import type { StepUpRequirement } from '../contract/index.ts'
import type { SessionSnapshot, SignedOutReason } from './types.ts'

/** Where a new access token came from: this client's own refresh, or another tab's. */
export type RefreshOrigin = 'this-tab' | 'other-tab'

/** Payload of `onRefresh`: the new token's timing, never the token itself. */
export type RefreshEvent = SessionSnapshot & { origin: RefreshOrigin }

/** Payload of `onSessionExpiring`: the session ends at `expiresAt` unless the user signs in again. */
export type SessionExpiringEvent = { expiresAt: number; secondsLeft: number }

/** Payload of `onClockSkew`: server time minus device time, in seconds. */
export type ClockSkewEvent = { offsetSeconds: number }

/**
 * Payload of `onStepUpRequired`: a call was refused for how long ago or how the user signed in
 * (RFC 9470 `insufficient_user_authentication`); `requirement` is what the server asks for.
 */
export type StepUpRequiredEvent = { requirement: StepUpRequirement }

/** Every event the client emits, by name. */
export type RotorEvents = {
  refresh: RefreshEvent
  signedOut: SignedOutReason
  sessionExpiring: SessionExpiringEvent
  clockSkew: ClockSkewEvent
  stepUpRequired: StepUpRequiredEvent
}

/** A listener; the function returned by `on` removes it. */
export type Listener<T> = (payload: T) => void

export type Emitter<TEvents extends Record<string, unknown>> = {
  on<K extends keyof TEvents>(name: K, listener: Listener<TEvents[K]>): () => void
  emit<K extends keyof TEvents>(name: K, payload: TEvents[K]): void
  clear(): void
}

/**
 * A small typed emitter. A throwing listener neither stops the others nor breaks the client's
 * own state change: its error is rethrown on a fresh task, where the platform reports it.
 */
export function createEmitter<TEvents extends Record<string, unknown>>(): Emitter<TEvents> {
  const listeners = new Map<keyof TEvents, Set<Listener<never>>>()
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set()
      listeners.set(name, set)
      set.add(listener as Listener<never>)
      return () => void set.delete(listener as Listener<never>)
    },
    emit(name, payload) {
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          ;(listener as Listener<TEvents[typeof name]>)(payload)
        } catch (error) {
          setTimeout(() => {
            throw error
          }, 0)
        }
      }
    },
    clear() {
      listeners.clear()
    },
  }
}
