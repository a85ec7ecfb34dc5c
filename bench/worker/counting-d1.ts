/**
 * Wraps a real D1 binding and counts round trips (each `batch()` and each statement execution)
 * and, where D1 reports them (`batch()`, `all()`, `run()`), rows read and written: index entries
 * and rows a trigger writes count, as D1 bills them.
 */
export function countingD1(db: D1Database) {
  const counter = { roundTrips: 0, rowsRead: 0, rowsWritten: 0 }
  const targets = new WeakMap<object, D1PreparedStatement>()
  const execute = new Set<PropertyKey>(['all', 'run', 'first', 'raw'])
  const tally = (result: unknown) => {
    const meta = (result as { meta?: { rows_read?: number; rows_written?: number } }).meta
    counter.rowsRead += meta?.rows_read ?? 0
    counter.rowsWritten += meta?.rows_written ?? 0
    return result
  }
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target)
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args))
        if (execute.has(prop)) {
          return async (...args: unknown[]) => {
            counter.roundTrips++
            const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(
              target,
              args,
            )
            return prop === 'all' || prop === 'run' ? tally(result) : result
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
        return async (statements: D1PreparedStatement[]) => {
          counter.roundTrips++
          const results = await target.batch(
            statements.map((statement) => targets.get(statement) ?? statement),
          )
          results.forEach(tally)
          return results
        }
      }
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { binding, counter }
}
