import { readIfExists } from './read-if-exists.ts'
import { basename } from 'node:path'
import { isDeepStrictEqual, parseEnv } from 'node:util'
import { KeyRingError } from './key-ring/key-ring-error.ts'
import { writePrivateFile } from './private-file.ts'
import type { KeySet } from './signing-keys.ts'

/**
 * A ring file as read: its text and its `SIGNING_KEYS`, parsed but unchecked. A dotenv file
 * (`.dev.vars`) holds it as one variable; a `*.json` file is the JWK Set itself.
 */
export type KeyRingFile = { path: string; text: string; signingKeys: unknown }

const DEFINITION = /^[ \t]*(?:export[ \t]+)?SIGNING_KEYS[ \t]*=[ \t]*/

/**
 * Reads `SIGNING_KEYS` from a dotenv file; `signingKeys` is `undefined` when the file or the
 * variable does not exist. Refuses a file that defines it twice, and never echoes its content.
 */
export async function readKeyRingFile(path: string): Promise<KeyRingFile> {
  const text = (await readIfExists(path)) ?? ''
  if (isJsonRingFile(path)) {
    return { path, text, signingKeys: text.trim() === '' ? undefined : parseRing(path, text) }
  }
  if (definitions(text).length > 1) {
    throw new KeyRingError('INVALID', `${path} sets SIGNING_KEYS more than once; keep one`)
  }
  const raw = parseEnv(text).SIGNING_KEYS
  if (raw === undefined || raw === '') return { path, text, signingKeys: undefined }
  return { path, text, signingKeys: parseRing(path, raw) }
}

/** A ring file named `*.json` holds the JWK Set itself: what `wrangler secret put` takes. */
export function isJsonRingFile(path: string): boolean {
  return path.toLowerCase().endsWith('.json')
}

/**
 * `.dev.vars` (or `.dev.vars.<env>`): the ring `wrangler dev` reads, which never goes into the
 * production secret. Production's ring lives in a file of its own.
 */
export function isDevelopmentRingFile(path: string): boolean {
  const name = basename(path)
  return name === '.dev.vars' || name.startsWith('.dev.vars.')
}

/**
 * Writes `ring` as the file's `SIGNING_KEYS` line, keeping every other line, atomically and with
 * mode 0600. Refuses if the result would not read back exactly.
 */
export async function writeKeyRingFile(file: KeyRingFile, ring: KeySet): Promise<void> {
  if (isJsonRingFile(file.path)) return writePrivateFile(file.path, `${JSON.stringify(ring)}\n`)
  const json = JSON.stringify(ring)
  const text = replaceSigningKeys(file.text, json)
  const { SIGNING_KEYS: written, ...others } = parseEnv(text)
  const { SIGNING_KEYS: _old, ...before } = parseEnv(file.text)
  if (written !== json || !isDeepStrictEqual(others, before)) {
    throw new KeyRingError('INVALID', `${file.path}: the new SIGNING_KEYS line would not read back`)
  }
  await writePrivateFile(file.path, text)
}

/** `text` with its `SIGNING_KEYS` definition (quoted values may span lines) set to `json`. */
export function replaceSigningKeys(text: string, json: string): string {
  // Single quotes: dotenv takes the JSON literally, with no `$` expansion or escapes.
  const line = `SIGNING_KEYS='${json}'`
  const lines = text.split('\n')
  const [start] = definitions(text)
  if (start === undefined) {
    const tail = text === '' || text.endsWith('\n') ? '' : '\n'
    return `${text}${tail}${line}\n`
  }
  const end = definitionEnd(lines, start)
  return [...lines.slice(0, start), line, ...lines.slice(end + 1)].join('\n')
}

function definitions(text: string): number[] {
  return text.split('\n').flatMap((line, index) => (DEFINITION.test(line) ? [index] : []))
}

function definitionEnd(lines: readonly string[], start: number): number {
  const value = lines[start]!.replace(DEFINITION, '')
  const quote = value[0]
  if (quote !== "'" && quote !== '"' && quote !== '`') return start
  if (value.indexOf(quote, 1) !== -1) return start
  const closing = lines.findIndex((line, index) => index > start && line.includes(quote))
  return closing === -1 ? start : closing
}

function parseRing(path: string, json: string): unknown {
  try {
    return JSON.parse(json)
  } catch {
    // JSON.parse quotes the text around the error, and that text is private key material.
    throw new KeyRingError(
      'INVALID',
      `${path}: SIGNING_KEYS is not valid JSON (expected a JWK Set)`,
    )
  }
}
