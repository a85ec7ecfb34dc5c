import { spawn, spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { constants } from 'node:os'
import { relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseEnv } from 'node:util'
import { optionValue } from './lib/argv.ts'
import { writeDemoScriptOrExit } from './lib/demo-script.ts'
import { ensureDevSecret } from './lib/dev-secret.ts'
import { withDemoOn, withDevDefault } from './lib/demo-var.ts'
import { readKeyRingFile, writeKeyRingFile } from './lib/key-ring-file.ts'
import { generateKeySet } from './lib/signing-keys.ts'
import { wranglerEntry, wranglerEnv } from './lib/wrangler.ts'

// `npm run dev -- <args>`: development keys if none exist, local D1 migrated, then `wrangler dev
// <args>` with the demo page and the mail outbox on unless DEMO or MAIL_TRANSPORT is set. `--persist-to` and `--env-file` are honoured
// here exactly as wrangler reads them.

const DEFAULT_PORT = '8787'
const root = fileURLToPath(new URL('..', import.meta.url))
const wrangler = wranglerEntry(root)
const args = process.argv.slice(2)

// With an --env-file wrangler reads that file and skips .dev.vars, so the keys belong there.
const varsFile = resolve(root, optionValue(args, '--env-file') ?? '.dev.vars')
const keyFile = await readKeyRingFile(varsFile)
if (keyFile.signingKeys === undefined) {
  await writeKeyRingFile(keyFile, await generateKeySet())
  console.log(`dev: no SIGNING_KEYS found, wrote development keys to ${relative(root, varsFile)}`)
}
// Resource servers in strict mode authenticate their introspection calls with one secret,
// operators the legacy report (GET /admin/legacy-report) with another, and second factors are
// sealed under the third.
for (const name of ['INTROSPECTION_SECRET', 'ADMIN_SECRET', 'MFA_ENCRYPTION_KEY']) {
  if (await ensureDevSecret(varsFile, name)) {
    console.log(`dev: wrote a development ${name} to ${relative(root, varsFile)}`)
  }
}
const varsText = await readFile(varsFile, 'utf8')

// wrangler's [build] makes it too, but reports a failure with its own stack trace after ours.
await writeDemoScriptOrExit()

const persistTo = optionValue(args, '--persist-to')
const migrateArgs = ['d1', 'migrations', 'apply', 'DB', '--local']
if (persistTo) migrateArgs.push('--persist-to', persistTo)
const migrate = spawnSync(process.execPath, [wrangler, ...migrateArgs], {
  cwd: root,
  env: wranglerEnv({ noPrompt: true }),
  stdio: ['ignore', 'inherit', 'inherit'],
})
if (migrate.status !== 0) exitLike(migrate.status, migrate.signal)

// Pinned rather than wrangler's "8787 or any free port": ISSUER and ALLOWED_ORIGINS name 8787.
const portArgs =
  optionValue(args, '--port') === undefined ? ['--port', DEFAULT_PORT, ...args] : args
// The development mail outbox too: codes show on this console and the demo page.
const fileVars = parseEnv(varsText)
const devArgs = withDevDefault(withDemoOn(portArgs, fileVars), fileVars, 'MAIL_TRANSPORT', 'outbox')
const dev = spawn(process.execPath, [wrangler, 'dev', ...devArgs], {
  cwd: root,
  env: wranglerEnv(),
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => dev.kill(signal))
}
dev.on('exit', exitLike)

function exitLike(code: number | null, signal: NodeJS.Signals | null): never {
  process.exit(code ?? (signal ? 128 + constants.signals[signal] : 1))
}
