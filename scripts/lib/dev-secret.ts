import { appendFile, readFile } from 'node:fs/promises'
import { parseEnv } from 'node:util'

/**
 * Appends a random development secret (256 bits, base64url) named `name` to the dotenv file at
 * `path` unless it already sets one; true when it wrote one. The value is never printed.
 */
export async function ensureDevSecret(path: string, name: string): Promise<boolean> {
  const text = await readFile(path, 'utf8')
  if (parseEnv(text)[name]) return false
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  await appendFile(path, `${separator}${name}='${secret}'\n`)
  return true
}
