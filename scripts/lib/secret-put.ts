import { spawn } from 'node:child_process'
import { isJsonRingFile } from './key-ring-file.ts'
import { writePrivateFile } from './private-file.ts'
import { wranglerEnv } from './wrangler.ts'

export type ApplyOptions = {
  /** The wrangler CLI entry, run with this very Node. */
  wrangler: string
  cwd: string
}

/**
 * The shell command that puts the ring into the `SIGNING_KEYS` secret, so the operator never sees
 * or copies key material. A `*.json` ring file is read as it is. For a dotenv file, the ring's
 * JSON is written beside it (`prod.vars` → `prod.vars.signing-keys.json`, mode 0600) and the
 * command deletes it after; each step overwrites that file, so an older printed command can only
 * ever put the newest ring.
 */
export async function prepareSecretPut(ringPath: string, json: string): Promise<string> {
  if (isJsonRingFile(ringPath)) return `npx wrangler secret put SIGNING_KEYS < ${quote(ringPath)}`
  const file = secretFile(ringPath)
  await writePrivateFile(file, json)
  return `npx wrangler secret put SIGNING_KEYS < ${quote(file)} && rm ${quote(file)}`
}

/** Where `prepareSecretPut` leaves the JSON for the ring file at `ringPath`. */
export function secretFile(ringPath: string): string {
  return `${ringPath}.signing-keys.json`
}

/**
 * Runs `wrangler secret put SIGNING_KEYS` with the JSON on its standard input (wrangler reads a
 * piped secret without prompting). Resolves to wrangler's exit status.
 */
export function applySecretPut(json: string, options: ApplyOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.wrangler, 'secret', 'put', 'SIGNING_KEYS'], {
      cwd: options.cwd,
      env: wranglerEnv(),
      stdio: ['pipe', 'inherit', 'inherit'],
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
    child.stdin.end(json)
  })
}

function quote(path: string): string {
  return `'${path.replaceAll("'", `'\\''`)}'`
}
