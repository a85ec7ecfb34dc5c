import { registerHooks } from 'node:module'

// Worker modules import each other without extensions (bundler style, as wrangler and vitest
// resolve them); plain Node needs `.ts`. Registered before token:inspect loads worker code, so
// the inspection runs the worker's own verification rather than a copy of it.
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context)
    } catch (error) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../')
      if (!relative || /\.[cm]?[jt]s$/.test(specifier)) throw error
      return next(`${specifier}.ts`, context)
    }
  },
})
