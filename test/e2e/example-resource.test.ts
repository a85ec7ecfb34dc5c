import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { FEED_DEFAULTS } from '../../verify/feed-mode.ts'
import { readmeBlock } from './helpers/readme.ts'
import { callTrpc } from './helpers/trpc.ts'
import {
  freePort,
  spawnDevProcess,
  startWranglerDev,
  waitForHealthy,
} from './helpers/wrangler-dev.ts'
import type { WranglerDev } from './helpers/wrangler-dev.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const PASSWORD = 'correct horse battery staple'

let issuer: WranglerDev
let resource: WranglerDev

beforeAll(async () => {
  // A dev registry of their own: the example's binding finds this issuer, not another "rotor".
  process.env.WRANGLER_REGISTRY_PATH = await mkdtemp(join(tmpdir(), 'rotor-registry-'))
  issuer = await startWranglerDev()
  const port = await freePort()
  const state = await mkdtemp(join(tmpdir(), 'rotor-example-state-'))
  const args = ['--issuer-env-file', issuer.varsFile!, '--port', `${port}`, '--ip', '127.0.0.1']
  resource = spawnDevProcess(
    'npm',
    ['run', 'example:resource', '--', ...args, '--persist-to', state],
    {
      cwd: root,
      url: `http://127.0.0.1:${port}`,
      dir: state,
    },
  )
  if (!(await waitForHealthy(resource, 60_000))) {
    throw new Error(`npm run example:resource did not start:\n${resource.output()}`)
  }
})

afterAll(async () => {
  await resource?.stop()
  await issuer?.stop()
  await rm(process.env.WRANGLER_REGISTRY_PATH!, { recursive: true, force: true })
})

describe('`npm run example:resource` beside `npm run dev`, as the README says', () => {
  test('the README names the command and every route it serves', async () => {
    const block = await readmeBlock('Run the example beside the issuer')
    for (const text of [
      'npm run dev',
      'npm run example:resource',
      '/healthz',
      '/stateless/whoami',
      '/strict/whoami',
    ]) {
      expect(block).toContain(text)
    }
  })

  test('guards both routes with the issuer’s tokens; strict sees a sign-out at once', async () => {
    const get = async (path: string, token?: string) => {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
      const response = await fetch(`${resource.url}${path}`, { headers })
      return { status: response.status, body: (await response.json()) as any }
    }
    expect(await get('/healthz')).toEqual({ status: 200, body: { ok: true } })
    const email = 'example-resource@example.com'
    await callTrpc(issuer.url, 'auth.register', { input: { email, password: PASSWORD } })
    const login = await callTrpc(issuer.url, 'auth.login', { input: { email, password: PASSWORD } })
    const { accessToken, sessionId, user } = login.body.result.data
    for (const mode of ['stateless', 'strict']) {
      expect(await get(`/${mode}/whoami`, accessToken)).toEqual({
        status: 200,
        body: { user: user.id, session: sessionId },
      })
    }
    expect((await get('/stateless/whoami')).body.error.data.reason).toBe('TOKEN_MISSING')
    await callTrpc(issuer.url, 'auth.logout', { token: accessToken })
    const revoked = await get('/strict/whoami', accessToken)
    expect(revoked.status).toBe(401)
    expect(revoked.body.error.data.reason).toBe('SESSION_REVOKED')
  })

  test('feed mode refuses a signed-out session from a later refresh on (the bench times it)', async () => {
    const get = async (token: string) => {
      const headers = { authorization: `Bearer ${token}` }
      const response = await fetch(`${resource.url}/feed/whoami`, { headers })
      return { status: response.status, body: (await response.json()) as any }
    }
    const email = 'example-resource-feed@example.com'
    await callTrpc(issuer.url, 'auth.register', { input: { email, password: PASSWORD } })
    const login = await callTrpc(issuer.url, 'auth.login', { input: { email, password: PASSWORD } })
    const { accessToken } = login.body.result.data
    expect((await get(accessToken)).status).toBe(200)
    const loggedOut = performance.now()
    await callTrpc(issuer.url, 'auth.logout', { token: accessToken })
    let refused: { status: number; body: any } | undefined
    // A deadline against hanging, not a speed figure: `npm run bench` measures the propagation.
    while (performance.now() - loggedOut < (FEED_DEFAULTS.feedInterval + 10) * 1000) {
      const result = await get(accessToken)
      if (result.status !== 200) {
        refused = result
        break
      }
      await sleep(50)
    }
    expect(refused?.status).toBe(401)
    expect(refused?.body.error.data.reason).toBe('SESSION_REVOKED')
  })
})
