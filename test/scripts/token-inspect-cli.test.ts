import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseInspectArgs, readInspectEnv } from '../../scripts/lib/legacy-inspect-args.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SECRET = 'cli-fleet-secret-0123456789abcdef'
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotor-inspect-'))
  await writeFile(join(dir, 'wrangler.toml'), '[vars]\nAUDIENCE = "rotor"\nLEGACY_MODE = "off"\n')
  await writeFile(join(dir, '.dev.vars'), `LEGACY_JWT_SECRET=${SECRET}\nLEGACY_MODE=monitor\n`)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('token:inspect arguments and configuration', () => {
  test('a token, --var overrides, --env-file and --at', () => {
    const args = parseInspectArgs([
      't.o.k',
      '--var',
      'LEGACY_SUNSET:Wed, 30 Jun 2027 00:00:00 GMT',
      '--at',
      '2027-01-01T00:00:00Z',
    ])
    expect(args).toEqual({
      token: 't.o.k',
      vars: { LEGACY_SUNSET: 'Wed, 30 Jun 2027 00:00:00 GMT' },
      envFile: undefined,
      at: Date.UTC(2027, 0, 1),
    })
    expect(() => parseInspectArgs(['--var', 'NOCOLON'])).toThrow(RangeError)
    expect(() => parseInspectArgs(['a', 'b'])).toThrow(RangeError)
    expect(() => parseInspectArgs(['--at', 'someday'])).toThrow(RangeError)
  })

  test('layered as wrangler layers them: [vars], then .dev.vars, then --var; sources by name', async () => {
    const { env, sources } = await readInspectEnv(dir, {
      vars: { LEGACY_MODE: 'warn' },
      envFile: undefined,
    })
    expect(env).toEqual({ AUDIENCE: 'rotor', LEGACY_MODE: 'warn', LEGACY_JWT_SECRET: SECRET })
    expect(sources).toEqual(['wrangler.toml [vars]', '.dev.vars', '--var LEGACY_MODE'])
    expect(sources.join(' ')).not.toContain(SECRET)
  })
})

describe('npm run token:inspect', () => {
  // Runs the real script in plain Node: it loads the worker's own modules through the resolve hook.
  test('runs the worker code in Node, reads the token from stdin, exits 0 on accepted', async () => {
    const token = await new SignJWT({ sub: 'user-9', iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    const run = (argv: string[], input?: string) =>
      spawnSync(process.execPath, [join(root, 'scripts/token-inspect.ts'), ...argv], {
        encoding: 'utf8',
        input,
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      })
    const envFile = join(dir, '.dev.vars')
    const accepted = run(
      ['-', '--env-file', envFile, '--var', 'ISSUER:http://localhost:8787'],
      token,
    )
    expect(accepted.stderr).toBe('')
    expect(accepted.stdout).toContain('Verdict: ACCEPTED')
    expect(accepted.status).toBe(0)
    const enforce = run([
      token,
      '--env-file',
      envFile,
      '--var',
      'ISSUER:http://x',
      '--var',
      'LEGACY_MODE:enforce',
    ])
    expect(enforce.stdout).toContain('REFUSED (LEGACY_TOKEN_REJECTED)')
    expect(enforce.status).toBe(1)
    // A token on the command line has been copied to shell history and npm's banner: say so.
    expect(enforce.stderr).toContain('pass it on standard input instead')
    for (const output of [accepted.stdout, enforce.stdout]) {
      expect(output).not.toContain(SECRET)
      expect(output).not.toContain(token.split('.')[2]!)
    }
    expect(run(['--bogus']).status).toBe(2)
  }, 30_000)

  test('the runbook’s check: the legacy key from a private --env-file, the token on stdin', async () => {
    const token = await new SignJWT({ sub: 'user-7', iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    const keyFile = join(dir, 'legacy.vars')
    await writeFile(keyFile, `LEGACY_JWT_SECRET='${SECRET}'\n`, { mode: 0o600 })
    // As README's runbook has it: npm run --silent token:inspect -- --env-file … --var … < token
    const result = spawnSync(
      'npm',
      [
        'run',
        '--silent',
        'token:inspect',
        '--',
        '--env-file',
        keyFile,
        '--var',
        'LEGACY_MODE:monitor',
      ],
      { cwd: root, encoding: 'utf8', input: token, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
    )
    expect(result.stdout).toContain('Verdict: ACCEPTED')
    expect(result.stdout + result.stderr).not.toContain(token.split('.')[2]!)
    expect(result.stdout + result.stderr).not.toContain(SECRET)
    expect(result.status).toBe(0)
  }, 30_000)
})
