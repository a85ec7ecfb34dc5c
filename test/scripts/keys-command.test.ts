import type { SigningAlg } from '../../contract/index.ts'
import { SIGNING_ALGS } from '../../contract/index.ts'
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseEnv } from 'node:util'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createKeyRing } from '../../worker/keys/key-ring.ts'
import type { KeySet } from '../../scripts/lib/signing-keys.ts'
import { PRIVATE_MEMBERS, T0, keyOf, privateValues } from './helpers/key-ring.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SLOW = 60_000
let dir: string
let file: string
let printed: string[]
let rings: KeySet[]

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotor-keys-command-'))
  // Production's ring, in a dotenv file of its own; tests of the development ring say so.
  file = join(dir, 'prod.vars')
  printed = []
  rings = []
})
afterEach(async () => {
  // Whatever happened, no key that was ever in the file reached the terminal.
  const output = printed.join('\n')
  for (const value of privateValues(...rings)) expect(output).not.toContain(value)
  expect(output).not.toMatch(new RegExp(`"(${PRIVATE_MEMBERS.join('|')})"\\s*:`))
  await rm(dir, { recursive: true, force: true })
})

/** Runs the real script, the way `npm run keys -- …` does, on the temporary file. */
function keys(...args: string[]) {
  const run = spawnSync(process.execPath, ['scripts/keys.ts', ...args, '--file', file], {
    cwd: root,
    encoding: 'utf8',
  })
  printed.push(run.stdout, run.stderr)
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

async function ringInFile(): Promise<KeySet> {
  const text = await readFile(file, 'utf8')
  const ring = JSON.parse(file.endsWith('.json') ? text : parseEnv(text).SIGNING_KEYS!) as KeySet
  rings.push(ring)
  // The worker's own start-up check, for every SIGNING_ALG the ring can sign with.
  const algs = SIGNING_ALGS.filter((alg) => ring.keys.some((key) => key.alg === alg))
  for (const alg of algs) expect(() => createKeyRing(JSON.stringify(ring), alg)).not.toThrow()
  return ring
}

const statuses = (ring: KeySet, alg: SigningAlg) =>
  ring.keys.filter((key) => key.alg === alg).map((key) => `${key.status}:${key.kid}`)

// Each step starts a real Node process (and RSA keys take a while to generate).
describe('npm run keys on a dotenv file', { timeout: SLOW }, () => {
  test('runs under Node 22 or later, which strips TypeScript types natively', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22)
  })

  test('generate, rotate twice, retire, revoke: safe steps; refusals change nothing', async () => {
    await writeFile(file, 'LEGACY_JWT_SECRET=keep-me\n')
    expect(keys('generate', '--now', `${T0}`).status).toBe(0)
    const first = await ringInFile()
    expect(first.keys.map((key) => key.status)).toEqual(['current', 'current', 'current'])
    expect(parseEnv(await readFile(file, 'utf8')).LEGACY_JWT_SECRET).toBe('keep-me')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    const secretFile = `${file}.signing-keys.json`
    expect(JSON.parse(await readFile(secretFile, 'utf8'))).toEqual(first)

    const refusedGenerate = keys('generate', '--now', `${T0}`)
    expect(refusedGenerate.status).toBe(1)
    expect(refusedGenerate.stderr).toMatch(/already holds SIGNING_KEYS; --force/)

    const added = keys('rotate', '--now', `${T0 + 100}`)
    expect(added.stdout).toMatch(/ES256: published next key es256-/)
    const withNext = await ringInFile()
    const next = keyOf(withNext, 'ES256', 'next')
    const oldCurrent = keyOf(withNext, 'ES256', 'current')
    expect(next.published).toBe(T0 + 100)

    const before = await readFile(file, 'utf8')
    const early = keys('rotate', '--now', `${T0 + 500}`)
    expect(early.status).toBe(1)
    expect(early.stderr).toMatch(/published 6m 40s ago.*Wait 8m 20s/)
    expect(await readFile(file, 'utf8')).toBe(before)

    expect(keys('rotate', '--now', `${T0 + 1000}`).status).toBe(0)
    const promoted = await ringInFile()
    expect(statuses(promoted, 'ES256')).toEqual([
      `retiring:${oldCurrent.kid}`,
      `current:${next.kid}`,
    ])
    expect(keyOf(promoted, 'ES256', 'retiring').retired).toBe(T0 + 1000)

    const kept = keys('retire', '--now', `${T0 + 1000 + 1229}`)
    expect(kept.stdout).toMatch(new RegExp(`kept ES256 ${oldCurrent.kid}: .* 1s more`))
    expect((await ringInFile()).keys).toHaveLength(4)

    const listed = keys('list', '--now', `${T0 + 1000 + 1230}`)
    expect(listed.stdout).toMatch(new RegExp(`${oldCurrent.kid}\\s+ES256\\s+retiring`))
    expect(listed.stdout).toMatch(/retire --alg ES256: drop .* now/)

    const dropped = keys('retire', '--now', `${T0 + 1000 + 1230}`)
    expect(dropped.stdout).toMatch(new RegExp(`dropped ES256 ${oldCurrent.kid}`))
    expect(statuses(await ringInFile(), 'ES256')).toEqual([`current:${next.kid}`])

    const revoked = keys('revoke', next.kid, '--now', `${T0 + 5000}`)
    expect(revoked.status).toBe(0)
    expect(revoked.stdout).toMatch(/ES256: generated current key es256-/)
    expect(revoked.stderr).toMatch(/WARNING: every token signed by .*\(up to 300 s\)/)
    const replaced = await ringInFile()
    expect(keyOf(replaced, 'ES256', 'current').kid).not.toBe(next.kid)
    expect(replaced.keys.map((key) => key.kid)).not.toContain(next.kid)
    expect(keyOf(replaced, 'EdDSA', 'current')).toEqual(keyOf(first, 'EdDSA', 'current'))
  })

  test('--alg all steps every alg at once, or none of them', async () => {
    expect(keys('generate', '--now', `${T0}`).status).toBe(0)
    expect(keys('rotate', '--alg', 'all', '--now', `${T0}`).status).toBe(0)
    const ring = await ringInFile()
    for (const alg of SIGNING_ALGS) expect(keyOf(ring, alg, 'next').published).toBe(T0)
    const before = await readFile(file, 'utf8')
    expect(keys('rotate', '--alg', 'all', '--now', `${T0 + 899}`).status).toBe(1)
    expect(await readFile(file, 'utf8')).toBe(before)
    const forced = keys('rotate', '--alg', 'all', '--force', '--now', `${T0 + 899}`)
    expect(forced.stderr).toMatch(/WARNING: --force/)
    const promoted = await ringInFile()
    for (const alg of SIGNING_ALGS) expect(keyOf(promoted, alg, 'retiring').retired).toBe(T0 + 899)
  })

  test('revoking a current key promotes the next key when there is one', async () => {
    keys('generate', '--alg', 'EdDSA', '--now', `${T0}`)
    keys('rotate', '--alg', 'EdDSA', '--now', `${T0}`)
    const ring = await ringInFile()
    const next = keyOf(ring, 'EdDSA', 'next')
    const run = keys('revoke', keyOf(ring, 'EdDSA', 'current').kid, '--now', `${T0 + 10}`)
    expect(run.stdout).toMatch(`EdDSA: next key ${next.kid} is current now`)
    expect(statuses(await ringInFile(), 'EdDSA')).toEqual([`current:${next.kid}`])
  })

  test('refusals: no ring, unknown kid, unreadable ring, bad arguments', async () => {
    expect(keys('list').stderr).toMatch(/holds no SIGNING_KEYS: run generate first/)
    keys('generate', '--now', `${T0}`)
    const ring = await ringInFile()
    expect(keys('revoke', 'es256-0-nope').stderr).toMatch(/no key with kid es256-0-nope/)
    await writeFile(file, `SIGNING_KEYS='${JSON.stringify(ring).slice(0, -3)}'\n`)
    const broken = keys('rotate')
    expect(broken.status).toBe(1)
    expect(broken.stderr).toMatch(/not valid JSON/)
    const usage = keys('spin')
    expect(usage.status).toBe(2)
    expect(usage.stderr).toMatch(/unknown command spin/)
  })

  test('list: of the current keys, only SIGNING_ALG’s signs', async () => {
    expect(keys('generate', '--now', `${T0}`).status).toBe(0)
    const signers = (stdout: string) =>
      stdout.split('\n').filter((line) => / current .*\bsigns$/.test(line))
    // The repository's wrangler.toml [vars] says ES256.
    const listed = keys('list', '--now', `${T0 + 60}`)
    expect(signers(listed.stdout)).toEqual([expect.stringMatching(/^es256-\S+\s+ES256\s/)])
    expect(listed.stdout).toMatch(
      /EdDSA\s+current\s.*verifies only; signs once SIGNING_ALG is EdDSA/,
    )
    expect(listed.stdout).toContain('SIGNING_ALG is ES256 (wrangler.toml [vars])')
    // The ring's own file overrides [vars], as .dev.vars does for wrangler dev.
    await writeFile(file, `${await readFile(file, 'utf8')}SIGNING_ALG=EdDSA\n`)
    expect(signers(keys('list', '--now', `${T0 + 60}`).stdout)).toEqual([
      expect.stringMatching(/^eddsa-\S+\s+EdDSA\s/),
    ])
  })

  test('the development ring (.dev.vars) gets no production command and no JSON copy', async () => {
    file = join(dir, '.dev.vars')
    const leftover = `${file}.signing-keys.json`
    await writeFile(leftover, '{"keys":[]}') // what an older version left behind
    const generated = keys('generate', '--alg', 'ES256', '--now', `${T0}`)
    expect(generated.status).toBe(0)
    const rotated = keys('rotate', '--now', `${T0 + 10}`)
    expect(rotated.status).toBe(0)
    for (const run of [generated, rotated]) {
      expect(run.stdout).not.toContain('wrangler secret put')
      expect(run.stdout).toContain('Development ring: restart `npm run dev`')
    }
    await expect(stat(leftover)).rejects.toThrow()
    const ring = await ringInFile()
    const applied = keys('rotate', '--apply', '--now', `${T0 + 2000}`)
    expect(applied.status).toBe(2)
    expect(applied.stderr).toMatch(/--apply puts a ring into the production secret/)
    expect(await ringInFile()).toEqual(ring)
  })

  test('--file x.json holds the JWK Set itself, which the printed command reads as it is', async () => {
    file = join(dir, 'prod.json')
    const generated = keys('generate', '--now', `${T0}`)
    expect(generated.status).toBe(0)
    const ring = JSON.parse(await readFile(file, 'utf8')) as KeySet
    rings.push(ring)
    expect(ring.keys.map((key) => key.alg)).toEqual(SIGNING_ALGS)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(generated.stdout).toContain(`npx wrangler secret put SIGNING_KEYS < '${file}'\n`)
    await expect(stat(`${file}.signing-keys.json`)).rejects.toThrow()
    expect(keys('rotate', '--now', `${T0 + 10}`).status).toBe(0)
    expect(keyOf(await ringInFile(), 'ES256', 'next').published).toBe(T0 + 10)
  })

  test('help lists every command', () => {
    const help = keys('help')
    expect(help.status).toBe(0)
    for (const command of ['generate', 'rotate', 'retire', 'revoke <kid>', 'list, status']) {
      expect(help.stdout).toContain(`  ${command}`)
    }
  })
})
