import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { constants, tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseEnv } from 'node:util'
import { optionValue } from './lib/argv.ts'
import { readIfExists } from './lib/read-if-exists.ts'
import { wranglerEntry, wranglerEnv } from './lib/wrangler.ts'

// `npm run example:resource -- <args>`: examples/resource-worker under `wrangler dev` on port
// 8788, beside the issuer `npm run dev` runs. Its service binding finds that issuer through
// wrangler's dev registry; strict mode gets the issuer's INTROSPECTION_SECRET from the issuer's
// vars file (`.dev.vars`, or `--issuer-env-file PATH`). Other arguments reach `wrangler dev`.

const DEFAULT_PORT = '8788'
const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)

const issuerVars = resolve(root, optionValue(args, '--issuer-env-file') ?? '.dev.vars')
const secret = parseEnv((await readIfExists(issuerVars)) ?? '').INTROSPECTION_SECRET
if (!secret) {
  console.error(
    `example:resource: no INTROSPECTION_SECRET in ${relative(root, issuerVars)}; ` +
      'start the issuer with `npm run dev` first, which writes one',
  )
  process.exit(1)
}
// Handed to wrangler in a file of its own (0600), never on a command line other users can read.
const dir = await mkdtemp(join(tmpdir(), 'rotor-example-'))
const secretFile = join(dir, 'resource.vars')
await writeFile(secretFile, `INTROSPECTION_SECRET='${secret}'\n`, { mode: 0o600 })

const passed = withoutOption(args, '--issuer-env-file')
const portArgs = optionValue(passed, '--port') === undefined ? ['--port', DEFAULT_PORT] : []
const devArgs = ['dev', '-c', 'examples/resource-worker/wrangler.toml', ...portArgs, ...passed]
const dev = spawn(process.execPath, [wranglerEntry(root), ...devArgs, '--env-file', secretFile], {
  cwd: root,
  env: wranglerEnv(),
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => dev.kill(signal))
}
dev.on('exit', async (code, signal) => {
  await rm(dir, { recursive: true, force: true })
  process.exit(code ?? (signal ? 128 + constants.signals[signal] : 1))
})

function withoutOption(list: readonly string[], name: string): string[] {
  return list.filter(
    (arg, index) => arg !== name && list[index - 1] !== name && !arg.startsWith(`${name}=`),
  )
}
