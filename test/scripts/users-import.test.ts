import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseImportArgs, resolveImportTarget } from '../../scripts/lib/users-import-args.ts'
import { readmeBlock } from '../e2e/helpers/readme.ts'
import { startWranglerDev } from '../e2e/helpers/wrangler-dev.ts'
import type { WranglerDev } from '../e2e/helpers/wrangler-dev.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SECRET = 's'.repeat(40)
// Real-looking bcrypt hashes that differ per user: none of them may appear in any output.
const hashOf = (i: number) => `$2b$10$${String(i).padStart(22, 'x')}${'H'.repeat(31)}`

describe('users:import arguments', () => {
  test('one file; --remote goes to a deployment over HTTPS with ADMIN_SECRET from the environment', async () => {
    expect(parseImportArgs(['users.jsonl'])).toMatchObject({ file: 'users.jsonl', remote: false })
    expect(() => parseImportArgs([])).toThrow(RangeError)
    expect(() => parseImportArgs(['a', 'b'])).toThrow(RangeError)
    expect(() => parseImportArgs(['a', '--what'])).toThrow(RangeError)
    const remote = parseImportArgs(['u.jsonl', '--remote', '--url', 'https://auth.example.com/'])
    await expect(resolveImportTarget(root, remote, { ADMIN_SECRET: SECRET })).resolves.toEqual({
      url: 'https://auth.example.com/admin/users/import',
      secret: SECRET,
    })
    await expect(resolveImportTarget(root, remote, {})).rejects.toThrow(/ADMIN_SECRET/)
    // wrangler.toml's ISSUER is the local one: --remote refuses it rather than guess.
    const noUrl = parseImportArgs(['u.jsonl', '--remote'])
    await expect(resolveImportTarget(root, noUrl, { ADMIN_SECRET: SECRET })).rejects.toThrow(
      /--url/,
    )
    const clear = parseImportArgs(['u.jsonl', '--url', 'http://auth.example.com'])
    await expect(resolveImportTarget(root, clear, { ADMIN_SECRET: SECRET })).rejects.toThrow(
      /HTTPS/,
    )
  })
})

describe('npm run users:import against `npm run dev`', { timeout: 120_000 }, () => {
  let dev: WranglerDev
  let dir: string
  beforeAll(async () => {
    dev = await startWranglerDev({ ADMIN_SECRET: SECRET })
    dir = await mkdtemp(join(tmpdir(), 'rotor-import-'))
  }, 120_000)
  afterAll(async () => {
    await dev?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const run = (args: string[], env: Record<string, string> = { ADMIN_SECRET: SECRET }) =>
    promisify(execFile)(process.execPath, ['scripts/users-import.ts', ...args, '--url', dev.url], {
      cwd: root,
      env: { ...process.env, ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    )

  test('imports 1,500 users with progress, refuses bad lines by number, and a re-run skips', async () => {
    const lines = Array.from({ length: 1500 }, (_, i) =>
      JSON.stringify({
        id: `cli-${i}`,
        email: `cli-${i}@example.com`,
        password_hash: hashOf(i),
        created_at: 1_600_000_000_000 + i,
      }),
    )
    lines.splice(
      10,
      0,
      '{"id":"cli-bad","email":"x@example.com","password_hash":"$2b$31$' +
        'y'.repeat(53) +
        '","created_at":1600000000000}',
    )
    lines.splice(
      1200,
      0,
      JSON.stringify({ id: 'cli-dup', email: 'cli-3@example.com', created_at: 1_600_000_000_000 }),
    )
    const file = join(dir, 'users.jsonl')
    await writeFile(file, `\uFEFF${lines.join('\r\n')}\n`)

    const first = await run([file])
    expect(first.code).toBe(1)
    expect(first.stdout).toContain('line 11 (id cli-bad): password_hash refused: bcrypt cost 31')
    expect(first.stdout).toContain('line 1201 (id cli-dup): email already given on line 4')
    expect(first.stdout).toMatch(/^imported 1500, updated 0, skipped 0, refused 2 /m)
    expect(first.stderr).toContain('users:import: 1000/1500 users sent')
    const output = first.stdout + first.stderr
    for (const i of [0, 9, 1499]) expect(output).not.toContain(hashOf(i))
    expect(output).not.toContain('yyyyyyyy')

    const again = await run([file])
    expect(again.stdout).toMatch(/^imported 0, updated 0, skipped 1500, refused 2 /m)
  })

  test('a wrong secret imports nothing and says how to go on', async () => {
    const file = join(dir, 'one.jsonl')
    await writeFile(
      file,
      JSON.stringify({ id: 'cli-x', email: 'cli-x@example.com', created_at: 1_600_000_000_000 }),
    )
    const refused = await run([file], { ADMIN_SECRET: 'w'.repeat(40) })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('the issuer answered 401')
    expect(refused.stderr).toContain('0 of 1 users were sent')
    expect(refused.stderr).not.toContain('w'.repeat(40))
    const checked = await run([file, '--check'])
    expect(checked).toMatchObject({
      code: 0,
      stdout: 'checked: 1 users to import, 0 lines refused\n',
    })
  })

  test('the README’s example file imports as it is', async () => {
    const file = join(dir, 'readme.jsonl')
    await writeFile(file, await readmeBlock('The file is JSON Lines', 'jsonl'))
    const imported = await run([file])
    expect(imported).toMatchObject({ code: 0 })
    expect(imported.stdout).toMatch(/^imported 2, updated 0, skipped 0, refused 0 /m)
  })
})
