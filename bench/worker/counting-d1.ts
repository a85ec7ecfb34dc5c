/** Wraps a real D1 binding and counts round trips: each `batch()` and each statement execution. */
export function countingD1(db: D1Database) {
  const counter = { roundTrips: 0 }
  const targets = new WeakMap<object, D1PreparedStatement>()
  const execute = new Set<PropertyKey>(['all', 'run', 'first', 'raw'])
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target)
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args))
        if (execute.has(prop)) {
          return (...args: unknown[]) => {
            counter.roundTrips++
            return (value as (...a: unknown[]) => unknown).apply(target, args)
          }
        }
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    targets.set(proxy, statement)
    return proxy
  }
  const binding = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrap(target.prepare(query))
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          counter.roundTrips++
          return target.batch(statements.map((statement) => targets.get(statement) ?? statement))
        }
      }
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { binding, counter }
}
