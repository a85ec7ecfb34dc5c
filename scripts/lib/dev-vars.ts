import { appendFile, chmod, readFile } from 'node:fs/promises'
import { parseEnv } from 'node:util'
import { generateKeySet } from './signing-keys.ts'

/**
 * Adds fresh development signing keys to a dotenv file (`.dev.vars`) unless it already sets
 * `SIGNING_KEYS`. Returns whether it wrote keys. Other lines of the file are kept as they are.
 */
export async function ensureSigningKeys(path: string): Promise<boolean> {
  const existing = await readIfExists(path)
  if (parseEnv(existing).SIGNING_KEYS) return false
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n'
  // Single quotes: dotenv takes the JSON literally, with no `$` expansion.
  const line = `SIGNING_KEYS='${JSON.stringify(await generateKeySet())}'\n`
  await appendFile(path, separator + line, { mode: 0o600 })
  // `mode` applies only when the file is created; an existing one now holds private keys too.
  await chmod(path, 0o600)
  return true
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw error
  }
}
