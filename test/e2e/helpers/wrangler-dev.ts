import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach } from 'vitest'

export type WranglerDev = {
  url: string
  /** Everything `npm run dev` has printed so far, stdout and stderr interleaved. */
  output(): string
  /** Resolves with the exit code (`null` when killed by a signal) once `npm run dev` exits. */
  exited: Promise<number | null>
  /** Ends the whole process group (npm, dev script, wrangler, workerd) and removes its state. */
  stop(): Promise<void>
  /** The dotenv file `npm run dev` read and completed (keys, development secrets), if any. */
  varsFile?: string
}

/**
 * The directory (D1 state, keys and secrets) and port of an earlier `npm run dev`, for a restart
 * with other vars that keeps its users, sessions and keys; the caller removes the directory.
 */
export type DevState = { dir: string; port: number }

/** `--var`s for `npm run dev`, or a function of its URL for values that name it (ALLOWED_ORIGINS). */
export type WranglerVars = Record<string, string> | ((url: string) => Record<string, string>)

const root = fileURLToPath(new URL('../../..', import.meta.url))

/**
 * `npm run dev` on a free port with its own D1 state and development keys in a temp dir, so a
 * developer's `.wrangler/` and `.dev.vars` are neither read nor changed. `vars` become `--var`s.
 */
export async function spawnWranglerDev(
  vars: WranglerVars = {},
  reuse?: DevState,
): Promise<WranglerDev> {
  const dir = reuse?.dir ?? (await mkdtemp(join(tmpdir(), 'rotor-e2e-')))
  const varsFile = join(dir, 'dev.vars')
  // Node reads a missing `--env-file` even among a script's arguments and dies (nodejs/node#54232);
  // an empty file lets the dev script add the keys. A reused one keeps its keys and secrets.
  if (!reuse) await writeFile(varsFile, '', { mode: 0o600 })
  const port = reuse?.port ?? (await freePort())
  const url = `http://127.0.0.1:${port}`
  const state = join(dir, 'state')
  const resolved = typeof vars === 'function' ? vars(url) : vars
  const varArgs = Object.entries(resolved).flatMap(([name, value]) => ['--var', `${name}:${value}`])
  const args = ['--port', `${port}`, '--ip', '127.0.0.1', '--persist-to', state, ...varArgs]
  const dev = spawnDevProcess('npm', ['run', 'dev', '--', ...args, '--env-file', varsFile], {
    cwd: root,
    url,
    dir,
    keepDir: reuse !== undefined,
  })
  return { ...dev, varsFile }
}

/**
 * `command` as a dev server answering at `url`, in its own process group so that `stop()` reaches
 * every process it starts (npm, wrangler, workerd), then removes `dir`.
 */
export function spawnDevProcess(
  command: string,
  args: string[],
  options: { cwd: string; url: string; dir: string; keepDir?: boolean },
): WranglerDev {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return {
    url: options.url,
    output: () => output,
    exited,
    async stop() {
      await killGroup(child.pid!)
      if (!options.keepDir) await rm(options.dir, { recursive: true, force: true })
    },
  }
}

/**
 * One `npm run dev` for the enclosing `describe`: started before its tests, stopped after them,
 * its output printed when one of them fails (a 500 says little without the worker's log).
 */
export function useWranglerDev(vars: WranglerVars = {}): () => WranglerDev {
  let dev: WranglerDev | undefined
  beforeAll(async () => {
    dev = await startWranglerDev(vars)
  })
  afterAll(() => dev?.stop())
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`npm run dev output:\n${dev?.output()}`))
  })
  return () => dev!
}

/** `spawnWranglerDev`, resolved once `/healthz` answers 200; on failure, throws with its output. */
export async function startWranglerDev(
  vars: WranglerVars = {},
  reuse?: DevState,
): Promise<WranglerDev> {
  const dev = await spawnWranglerDev(vars, reuse)
  if (await waitForHealthy(dev, 60_000)) return dev
  await dev.stop()
  throw new Error(`wrangler dev did not become healthy:\n${dev.output()}`)
}

/** Polls `/healthz` until it answers 200 (true), or the process exits or time runs out (false). */
export async function waitForHealthy(dev: WranglerDev, timeoutMs: number): Promise<boolean> {
  let exited = false
  void dev.exited.then(() => (exited = true))
  const deadline = Date.now() + timeoutMs
  while (!exited && Date.now() < deadline) {
    const status = await fetch(`${dev.url}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status,
      () => 0,
    )
    if (status === 200) return true
    await sleep(250)
  }
  return false
}

async function killGroup(pid: number): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals | 0) => {
    try {
      process.kill(-pid, signal)
      return true
    } catch {
      return false // ESRCH: every process of the group is gone
    }
  }
  if (!signalGroup('SIGTERM')) return
  const deadline = Date.now() + 5_000
  while (Date.now() < deadline) {
    await sleep(100)
    if (!signalGroup(0)) return
  }
  signalGroup('SIGKILL')
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
