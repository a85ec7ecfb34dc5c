import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { applySecretPut, prepareSecretPut } from '../../scripts/lib/secret-put.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotor-secret-put-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('putting the ring into the production secret', () => {
  test('the printed command reads a 0600 file beside the ring and deletes it', async () => {
    const json = '{"keys":[{"d":"private"}]}'
    const command = await prepareSecretPut(join(dir, 'prod.vars'), json)
    const file = join(dir, 'prod.vars.signing-keys.json')
    expect(command).toBe(`npx wrangler secret put SIGNING_KEYS < '${file}' && rm '${file}'`)
    expect(await readFile(file, 'utf8')).toBe(json)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    await prepareSecretPut(join(dir, 'prod.vars'), '{"keys":[]}')
    expect(await readFile(file, 'utf8')).toBe('{"keys":[]}')
  })

  test('--apply pipes the JSON into `wrangler secret put SIGNING_KEYS`', async () => {
    // A stand-in for the wrangler CLI that records its arguments and standard input.
    const wrangler = join(dir, 'wrangler.mjs')
    const record = join(dir, 'record.json')
    await writeFile(
      wrangler,
      `import { readFileSync, writeFileSync } from 'node:fs'
writeFileSync(${JSON.stringify(record)}, JSON.stringify({
  args: process.argv.slice(2), stdin: readFileSync(0, 'utf8'), cwd: process.cwd(),
}))
process.exit(Number(process.env.FAKE_EXIT ?? 0))`,
    )
    expect(await applySecretPut('{"keys":[1]}', { wrangler, cwd: dir })).toBe(0)
    expect(JSON.parse(await readFile(record, 'utf8'))).toEqual({
      args: ['secret', 'put', 'SIGNING_KEYS'],
      stdin: '{"keys":[1]}',
      cwd: expect.stringContaining('rotor-secret-put-'),
    })
    process.env.FAKE_EXIT = '3'
    try {
      expect(await applySecretPut('{}', { wrangler, cwd: dir })).toBe(3)
    } finally {
      delete process.env.FAKE_EXIT
    }
  })
})
