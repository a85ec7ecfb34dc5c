type MaybePromise<T> = T | Promise<T>

/**
 * Where body delivery keeps the refresh token. Any key-value store fits, synchronous or not:
 * Expo SecureStore, the Keychain, a file with mode 0600 for a CLI, or a Workers KV namespace
 * scoped to one user. Only the refresh token is stored; the access token stays in memory.
 *
 * @example
 * ```ts
 * import * as SecureStore from 'expo-secure-store'
 *
 * const storage: TokenStorage = {
 *   get: (key) => SecureStore.getItemAsync(key),
 *   set: (key, value) => SecureStore.setItemAsync(key, value),
 *   delete: (key) => SecureStore.deleteItemAsync(key),
 * }
 * ```
 */
export type TokenStorage = {
  get(key: string): MaybePromise<string | null | undefined>
  set(key: string, value: string): MaybePromise<void>
  delete(key: string): MaybePromise<void>
}

/**
 * A storage that lives as long as the client: the default, so nothing reaches `localStorage`
 * (readable by any script on the page) unless the application decides it should.
 */
export function createMemoryStorage(): TokenStorage {
  const values = new Map<string, string>()
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
  }
}
