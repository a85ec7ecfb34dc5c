/**
 * Tells the client whether the app is in front, and when that (or the network) changes. Browser
 * pages have one built in; React Native passes one over `AppState`.
 *
 * @example
 * ```ts
 * import { AppState } from 'react-native'
 * const lifecycle: AppLifecycle = {
 *   isActive: () => AppState.currentState === 'active',
 *   subscribe(onChange) {
 *     const subscription = AppState.addEventListener('change', onChange)
 *     return () => subscription.remove()
 *   },
 * }
 * ```
 */
export type AppLifecycle = {
  /** Whether the app is in the foreground now: a visible page, an active app. */
  isActive(): boolean
  /**
   * Calls `onChange` whenever the app may have come to the foreground or back online (focus,
   * visibility, network return); the client then catches up. Returns a function that stops it.
   */
  subscribe(onChange: () => void): () => void
}

type EventTargetLike = {
  addEventListener(type: string, listener: () => void): void
  removeEventListener(type: string, listener: () => void): void
}

/** No lifecycle to follow (Node, workers): always active, nothing ever changes. */
export const ALWAYS_ACTIVE: AppLifecycle = {
  isActive: () => true,
  subscribe: () => () => {},
}

/**
 * A browser page's lifecycle: active while visible; a change on `visibilitychange`, `focus`
 * and `online`. `ALWAYS_ACTIVE` outside a browser document.
 */
export function defaultLifecycle(): AppLifecycle {
  const scope = globalThis as {
    document?: EventTargetLike & { visibilityState?: string }
  } & Partial<EventTargetLike>
  const doc = scope.document
  if (doc === undefined || typeof scope.addEventListener !== 'function') return ALWAYS_ACTIVE
  const page = scope as EventTargetLike
  return {
    isActive: () => doc.visibilityState !== 'hidden',
    subscribe(onChange) {
      doc.addEventListener('visibilitychange', onChange)
      page.addEventListener('focus', onChange)
      page.addEventListener('online', onChange)
      return () => {
        doc.removeEventListener('visibilitychange', onChange)
        page.removeEventListener('focus', onChange)
        page.removeEventListener('online', onChange)
      }
    },
  }
}
