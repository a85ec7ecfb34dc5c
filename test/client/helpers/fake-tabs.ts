import type { ChannelLike, LockManagerLike } from '../../../client/index.ts'

type Holder = { steal: () => void }
type Waiter = { grant: () => void }

/**
 * An exclusive Web Lock as browsers implement it (one lock name is enough here): requests wait
 * in order; `signal` abandons a waiting request with its reason; `steal` takes the lock at once
 * and rejects the previous holder's request with an AbortError while its callback runs on.
 */
export function createFakeLocks(): LockManagerLike & { grants: number } {
  let holder: Holder | undefined
  const waiting: Waiter[] = []
  const state = { grants: 0 }

  const grantNext = () => {
    holder = undefined
    waiting.shift()?.grant()
  }

  const locks: LockManagerLike = {
    request(_name, options, callback) {
      return new Promise((resolve, reject) => {
        const run = () => {
          state.grants++
          const me: Holder = { steal: () => reject(new DOMException('Lock stolen', 'AbortError')) }
          holder = me
          Promise.resolve()
            .then(callback)
            .then(resolve, reject)
            .finally(() => {
              if (holder === me) grantNext()
            })
        }
        if (options.steal) {
          holder?.steal()
          return run()
        }
        if (holder === undefined) return run()
        const waiter: Waiter = { grant: run }
        waiting.push(waiter)
        options.signal?.addEventListener('abort', () => {
          const index = waiting.indexOf(waiter)
          if (index === -1) return
          waiting.splice(index, 1)
          reject(options.signal?.reason ?? new DOMException('Aborted', 'AbortError'))
        })
      })
    },
  }
  return Object.defineProperty(locks, 'grants', { get: () => state.grants }) as LockManagerLike & {
    grants: number
  }
}

/** BroadcastChannels of one name: a message reaches every other member, a task later, cloned. */
export function createChannelHub(): { open(): ChannelLike } {
  const members = new Set<{ deliver: (data: unknown) => void }>()
  return {
    open() {
      const listeners: ((event: { data: unknown }) => void)[] = []
      const member = { deliver: (data: unknown) => listeners.forEach((l) => l({ data })) }
      members.add(member)
      return {
        postMessage(message) {
          const data = structuredClone(message)
          for (const other of members) {
            if (other !== member) setImmediate(() => other.deliver(data))
          }
        },
        addEventListener: (_type, listener) => void listeners.push(listener),
        close: () => void members.delete(member),
      }
    },
  }
}
