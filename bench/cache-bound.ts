import { call } from './fixtures.ts'
import type { VERIFIER_DEFAULTS } from '../verify/require-auth.ts'

export type VerifierDefaults = { [K in keyof typeof VERIFIER_DEFAULTS]: number }

/** The verifier's defaults, from the bundled worker itself (`/bench/verifier-defaults`). */
export function readVerifierDefaults(issuer: URL): Promise<VerifierDefaults> {
  return call(issuer, '/bench/verifier-defaults')
}

/**
 * The verifier's per-isolate memory bound: entries × longest cached token, entries capped in age
 * by exp and the key set.
 */
export function describeCacheBound(defaults: VerifierDefaults): string {
  const { tokenCacheEntries: entries, maxCachedTokenLength: tokenLength } = defaults
  const kib = (entries * tokenLength) / 1024
  return (
    `verifier token cache ≤ ${entries} entries per isolate (FIFO), tokens over ${tokenLength} ` +
    `chars never cached: ≤ ${kib.toLocaleString('en')} KiB of keys plus one claims object each; ` +
    `an entry lives until exp + leeway or ${defaults.jwksCacheMaxAge / 1000} s (the JWKS cache), ` +
    `whichever is first; the key set: one per isolate`
  )
}
