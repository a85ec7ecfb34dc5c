import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  readKeyRingFile,
  replaceSigningKeys,
  writeKeyRingFile,
} from '../../scripts/lib/key-ring-file.ts'
import { KeyRingError } from '../../scripts/lib/key-ring/key-ring-error.ts'
import { firstRing, privateValues } from './helpers/key-ring.ts'

let dir: string
let path: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotor-key-ring-file-'))
  path = join(dir, '.dev.vars')
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('SIGNING_KEYS in a dotenv file', () => {
  test('a missing file or variable reads as no ring', async () => {
    expect((await readKeyRingFile(path)).signingKeys).toBeUndefined()
    await writeFile(path, 'OTHER=1\n')
    expect(await readKeyRingFile(path)).toEqual({ path, text: 'OTHER=1\n', signingKeys: undefined })
  })

  test('writing keeps every other line, sets mode 0600 and reads back', async () => {
    const original = '# local only\nLEGACY_JWT_SECRET="s3cret"\nSIGNING_KEYS=\'{"keys":[]}\'\nX=1'
    await writeFile(path, original, { mode: 0o644 })
    const ring = await firstRing()
    await writeKeyRingFile(await readKeyRingFile(path), ring)
    const text = await readFile(path, 'utf8')
    expect(text.split('\n')).toEqual([
      '# local only',
      'LEGACY_JWT_SECRET="s3cret"',
      `SIGNING_KEYS='${JSON.stringify(ring)}'`,
      'X=1',
    ])
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect((await readKeyRingFile(path)).signingKeys).toEqual(ring)
  })

  test('a new file gets only the SIGNING_KEYS line, mode 0600', async () => {
    const ring = await firstRing()
    await writeKeyRingFile(await readKeyRingFile(path), ring)
    expect(parseEnv(await readFile(path, 'utf8'))).toEqual({ SIGNING_KEYS: JSON.stringify(ring) })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
  })

  test.each([
    ['appends to a file without a final newline', 'A=1', 'A=1\nSIGNING_KEYS=\'{"k":1}\'\n'],
    ['appends to an empty file', '', 'SIGNING_KEYS=\'{"k":1}\'\n'],
    ['replaces an export line', "export SIGNING_KEYS='{}'\nB=2", 'SIGNING_KEYS=\'{"k":1}\'\nB=2'],
    [
      'replaces a value spanning lines',
      'SIGNING_KEYS="{\n}"\nB=2\n',
      'SIGNING_KEYS=\'{"k":1}\'\nB=2\n',
    ],
  ])('%s', (_, text, expected) => {
    expect(replaceSigningKeys(text, '{"k":1}')).toBe(expected)
  })

  test('a file that sets SIGNING_KEYS twice is refused', async () => {
    await writeFile(path, "SIGNING_KEYS='{}'\nSIGNING_KEYS='{}'\n")
    await expect(readKeyRingFile(path)).rejects.toThrow('more than once')
  })

  test('broken JSON is refused without quoting any of the file', async () => {
    const ring = await firstRing()
    await writeFile(path, `SIGNING_KEYS='${JSON.stringify(ring).slice(0, -2)}'\n`)
    const error = await readKeyRingFile(path).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeyRingError)
    const message = (error as Error).message
    expect(message).toMatch(/not valid JSON/)
    for (const value of privateValues(ring)) expect(message).not.toContain(value.slice(0, 8))
  })
})
