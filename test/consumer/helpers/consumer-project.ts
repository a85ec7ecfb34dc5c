import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../../..', import.meta.url))

export type RunResult = { code: number; stdout: string; stderr: string }

/** Runs a command to completion; a non-zero exit is a result, not an exception. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** `run`, throwing with the command's output when it fails. */
export async function runOk(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  const result = await run(command, args, options)
  if (result.code !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
    )
  return result.stdout
}

/**
 * `npm run build` and `npm pack` of this repository, then a fresh project that installs
 * the tarball, the peers and TypeScript — the versions this repository tests with, so npm's cache
 * answers — the way an application would install Rotor.
 */
export async function createConsumerProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rotor-consumer-'))
  await runOk('npm', ['run', 'build'], { cwd: root })
  const pack = ['pack', '--json', '--ignore-scripts', '--pack-destination', dir]
  const packed = JSON.parse(await runOk('npm', pack, { cwd: root })) as { filename: string }[]
  const tarball = join(dir, packed[0]!.filename)
  const project = join(dir, 'app')
  await mkdir(project)
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'rotor-consumer', private: true, type: 'module' }),
  )
  const peers = await Promise.all(
    ['hono', '@trpc/client', '@trpc/server', 'typescript'].map(
      async (name) => `${name}@${await installedVersion(name)}`,
    ),
  )
  await runOk(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...peers],
    { cwd: project },
  )
  return project
}

async function installedVersion(name: string): Promise<string> {
  const manifest = await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')
  return (JSON.parse(manifest) as { version: string }).version
}
