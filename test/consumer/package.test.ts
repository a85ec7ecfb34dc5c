import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { wranglerEntry } from '../../scripts/lib/wrangler.ts'
import { callTrpc } from '../e2e/helpers/trpc.ts'
import {
  freePort,
  spawnDevProcess,
  startWranglerDev,
  waitForHealthy,
} from '../e2e/helpers/wrangler-dev.ts'
import { createConsumerProject, root, run } from './helpers/consumer-project.ts'
import type { WranglerDev } from '../e2e/helpers/wrangler-dev.ts'

const PASSWORD = 'correct horse battery staple'
// Shared by the issuer and the resource worker's strict mode (introspection).
const INTROSPECTION_SECRET = crypto.randomUUID() + crypto.randomUUID()

let project: string
let issuer: WranglerDev
let resource: WranglerDev | undefined

beforeAll(async () => {
  // Their own dev registry: the resource worker's service binding finds this issuer, not another
  // `wrangler dev` named "rotor" on the machine.
  process.env.WRANGLER_REGISTRY_PATH = await mkdtemp(join(tmpdir(), 'rotor-registry-'))
  ;[project, issuer] = await Promise.all([
    createConsumerProject(),
    startWranglerDev({ INTROSPECTION_SECRET }),
  ])
})

afterAll(async () => {
  await resource?.stop()
  await issuer?.stop()
  if (project) await rm(dirname(project), { recursive: true, force: true })
  await rm(process.env.WRANGLER_REGISTRY_PATH!, { recursive: true, force: true })
})

describe('the packed package, installed into a fresh project', () => {
  test('ships ESM and declarations that name no Cloudflare, Node, drizzle or issuer type', async () => {
    const dist = join(project, 'node_modules', 'rotor', 'dist')
    const files = await readdir(dist, { recursive: true })
    // The types client and verify share (reasons, claims, the step-up requirement) are
    // contract's own: their declarations import them from contract.d.ts, with no chunk between.
    expect(files.filter((file) => file.endsWith('.ts')).sort()).toEqual([
      'client.d.ts',
      'contract.d.ts',
      'verify.d.ts',
    ])
    const imported = new Set<string>()
    for (const file of files.filter((name) => /\.(d\.ts|js)$/.test(name))) {
      // Code only: TSDoc examples may well mention `cloudflare:workers`.
      const text = (await readFile(join(dist, file), 'utf8')).replace(
        /\/\*[\s\S]*?\*\/|\/\/.*$/gm,
        '',
      )
      expect(text, file).not.toMatch(
        /\bD1[A-Z]|ExecutionContext|cloudflare:|node:|drizzle-orm|Buffer/,
      )
      expect(text, file).not.toMatch(/\b(Issuer|SessionStore|KeyRing)\b/)
      for (const [, specifier] of text.matchAll(/^import .*? from "([^"]+)";$/gm))
        imported.add(specifier!)
    }
    // The packages import only each other and their (peer) dependencies.
    expect([...imported].sort()).toEqual([
      './contract.js',
      '@trpc/client',
      '@trpc/server',
      '@trpc/server/observable',
      'hono',
      'hono/factory',
      'jose',
    ])
  })

  test.each(['nodenext', 'bundler'])(
    'type-checks with `%s` resolution, skipLibCheck off and no Workers or Node types',
    async (resolution) => {
      const files = {
        'typed-client.ts': join(root, 'test/consumer/fixtures/typed-client.ts'),
        'browser.ts': join(root, 'examples/client/browser.ts'),
        'api-router.ts': join(root, 'examples/client/api-router.ts'),
        'resource-app.ts': join(root, 'examples/resource-worker/app.ts'),
      }
      const src = join(project, `src-${resolution}`)
      await mkdir(src, { recursive: true })
      for (const [name, from] of Object.entries(files)) await cp(from, join(src, name))
      const config = join(project, `tsconfig.${resolution}.json`)
      await writeFile(
        config,
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: resolution === 'nodenext' ? 'NodeNext' : 'ESNext',
            moduleResolution: resolution,
            // @trpc/server's declarations name `Disposable` and `AsyncDisposable`.
            lib: ['ES2023', 'ESNext.Disposable', 'DOM'],
            types: [],
            strict: true,
            skipLibCheck: false,
            noEmit: true,
            allowImportingTsExtensions: true,
            verbatimModuleSyntax: true,
          },
          include: [`src-${resolution}`],
        }),
      )
      const tsc = join(project, 'node_modules', '.bin', 'tsc')
      const result = await run(tsc, ['-p', config], { cwd: project })
      expect(result.stdout + result.stderr).toBe('')
      expect(result.code).toBe(0)
    },
  )

  test('plain Node runs the client CLI example: register, login, a refresh per run, logout', async () => {
    const sessionFile = join(project, '.rotor-session')
    const env = { ...process.env, ROTOR_URL: `${issuer.url}/trpc`, ROTOR_SESSION_FILE: sessionFile }
    const cli = join(project, 'cli.mjs')
    await cp(join(root, 'examples/client/cli.mjs'), cli)
    const rotorCli = (...args: string[]) =>
      run(process.execPath, [cli, ...args], { cwd: project, env })
    const email = 'cli@example.com'

    expect((await rotorCli('register', email, PASSWORD)).stdout).toContain(email)
    const login = await rotorCli('login', email, PASSWORD)
    expect(login.stdout).toMatch(/sessionId: '[^']+'/)
    expect((await stat(sessionFile)).mode & 0o777).toBe(0o600)
    const stored = await readFile(sessionFile, 'utf8')

    // A new process holds no access token: its first call refreshes, rotating the stored token.
    const me = await rotorCli('me')
    expect(me).toMatchObject({ code: 0, stderr: '' })
    expect(me.stdout).toContain('refreshed the access token')
    expect(me.stdout).toContain(`email: '${email}'`)
    expect(await readFile(sessionFile, 'utf8')).not.toBe(stored)

    expect((await rotorCli('logout')).stdout).toContain('signed out: LOGOUT')
    await expect(stat(sessionFile)).rejects.toThrow()
    expect(await rotorCli('me')).toMatchObject({ code: 1, stderr: 'failed: TOKEN_MISSING\n' })
  })

  test('the example resource worker, built from the packed rotor/verify, guards its routes', async () => {
    resource = await startResourceWorker()
    const get = async (path: string, token?: string) => {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
      const response = await fetch(`${resource!.url}${path}`, { headers })
      return { status: response.status, body: (await response.json()) as any }
    }
    const email = 'resource@example.com'
    await callTrpc(issuer.url, 'auth.register', { input: { email, password: PASSWORD } })
    const login = await callTrpc(issuer.url, 'auth.login', {
      input: { email, password: PASSWORD, delivery: 'body' },
    })
    const { accessToken, sessionId, user } = login.body.result.data

    expect(await get('/stateless/whoami', accessToken)).toEqual({
      status: 200,
      body: { user: user.id, session: sessionId },
    })
    expect(await get('/strict/whoami', accessToken)).toMatchObject({ status: 200 })
    const missing = await get('/stateless/whoami')
    expect(missing.status).toBe(401)
    expect(missing.body.error.data.reason).toBe('TOKEN_MISSING')

    await callTrpc(issuer.url, 'auth.logout', { token: accessToken })
    const revoked = await get('/strict/whoami', accessToken)
    expect(revoked.status).toBe(401)
    expect(revoked.body.error.data.reason).toBe('SESSION_REVOKED')
  })
})

/**
 * The example as an application would have it: its files in the project, `rotor/verify` and
 * `hono` from the project's node_modules, `wrangler dev` bundling it with a service binding to
 * the issuer (found through the dev registry).
 */
async function startResourceWorker(): Promise<WranglerDev> {
  const dir = join(project, 'resource-worker')
  await cp(join(root, 'examples/resource-worker'), dir, { recursive: true })
  await writeFile(join(dir, '.dev.vars'), `INTROSPECTION_SECRET=${INTROSPECTION_SECRET}\n`)
  const port = await freePort()
  const state = await mkdtemp(join(tmpdir(), 'rotor-resource-'))
  const args = ['dev', '-c', 'wrangler.toml', '--port', `${port}`, '--ip', '127.0.0.1']
  const dev = spawnDevProcess(
    process.execPath,
    [wranglerEntry(root), ...args, '--persist-to', state],
    { cwd: dir, url: `http://127.0.0.1:${port}`, dir: state },
  )
  if (await waitForHealthy(dev, 60_000)) return dev
  await dev.stop()
  throw new Error(`the resource worker did not start:\n${dev.output()}`)
}
