import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The verifier's per-isolate memory bound, read from its defaults in the source so the statement
 * follows the code: entries × longest cached token, entries capped in age by exp and the key set.
 */
export async function describeCacheBound(root: string): Promise<string> {
  const source = await readFile(join(root, 'worker/verify/require-auth.ts'), 'utf8')
  const number = (pattern: RegExp) => Number(pattern.exec(source)?.[1]?.replaceAll('_', ''))
  const entries = number(/tokenCacheEntries \?\? ([\d_]+)/)
  const tokenLength = number(/maxTokenLength: ([\d_]+)/)
  const jwksMs = number(/jwksCacheMaxAge \?\? ([\d_]+)/)
  if (!entries || !tokenLength) return 'not found in worker/verify/require-auth.ts'
  const kib = (entries * tokenLength) / 1024
  return (
    `verifier token cache ≤ ${entries} entries per isolate (FIFO), tokens over ${tokenLength} ` +
    `chars never cached: ≤ ${kib.toLocaleString('en')} KiB of keys plus one claims object each; ` +
    `an entry lives until exp + leeway or ${jwksMs / 1000} s (the JWKS cache), whichever is first; ` +
    `the key set: one per isolate`
  )
}
