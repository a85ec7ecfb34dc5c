import { rm } from 'node:fs/promises'
import { isAbsolute, relative } from 'node:path'
import { isDevelopmentRingFile, isJsonRingFile, writeKeyRingFile } from './key-ring-file.ts'
import type { KeyRingFile } from './key-ring-file.ts'
import { applySecretPut, prepareSecretPut, secretFile } from './secret-put.ts'
import type { KeySet } from './signing-keys.ts'
import { wranglerEntry } from './wrangler.ts'

/** Where a command runs and reports. `out` is for results, `warn` for warnings and refusals. */
export type KeysContext = {
  /** The repository root: default `.dev.vars`, `wrangler.toml` and the wrangler CLI live here. */
  root: string
  cwd: string
  out: (line: string) => void
  warn: (line: string) => void
}

/**
 * Writes the changed ring to its file, then, unless it is the development ring, puts it into the
 * production secret (`apply`) or prints the command that does. Resolves to the exit status: 1 if
 * `apply` failed.
 */
export async function saveRing(
  file: KeyRingFile,
  ring: KeySet,
  apply: boolean,
  context: KeysContext,
): Promise<number> {
  await writeKeyRingFile(file, ring)
  context.out(`wrote ${ring.keys.length} keys to ${shown(file.path, context.cwd)} (mode 0600)`)
  if (isDevelopmentRingFile(file.path)) {
    // Older versions left the ring's JSON beside .dev.vars for a secret put that was never due.
    await rm(secretFile(file.path), { force: true })
    context.out('Development ring: restart `npm run dev` to use it. It never goes into the')
    context.out("production secret; keep production's ring in a file of its own (--file PATH).")
    return 0
  }
  const json = JSON.stringify(ring)
  if (apply) {
    const status = await applySecretPut(json, {
      wrangler: wranglerEntry(context.root),
      cwd: context.root,
    })
    if (status === 0) {
      // A command printed by an earlier step would now put an outdated ring.
      await rm(secretFile(file.path), { force: true })
      context.out('put the ring into the SIGNING_KEYS secret')
      return 0
    }
    context.warn(`wrangler secret put failed (exit ${status}); the production secret is unchanged`)
  }
  if (isJsonRingFile(file.path)) {
    context.out('Production: put the ring into the Workers secret:')
  } else {
    context.out(
      'Production: put the ring into the Workers secret (the .signing-keys.json file holds',
    )
    context.out(
      'private keys; the command deletes it, delete it yourself if you skip the command):',
    )
  }
  context.out(`  ${await prepareSecretPut(file.path, json)}`)
  context.out('Waiting times count from now: run it right away.')
  return apply ? 1 : 0
}

function shown(path: string, cwd: string): string {
  const near = relative(cwd, path)
  return near === '' || near.startsWith('..') || isAbsolute(near) ? path : near
}
