import { fileURLToPath } from 'node:url'
import { KeyRingError } from './lib/key-ring/key-ring-error.ts'
import { USAGE, parseKeysArgs } from './lib/keys-args.ts'
import { runKeysCommand } from './lib/keys-commands.ts'

// `npm run keys -- <command>`: the SIGNING_KEYS ring, locally in .dev.vars and for production
// through `wrangler secret put` (DESIGN §5, issue 3). Never prints key material.

const root = fileURLToPath(new URL('..', import.meta.url))
const clock = () => Math.floor(Date.now() / 1000)

try {
  const args = parseKeysArgs(process.argv.slice(2), clock)
  if (args.command === 'help') {
    console.log(USAGE)
  } else {
    process.exitCode = await runKeysCommand(args, {
      root,
      cwd: process.cwd(),
      out: (line) => console.log(line),
      warn: (line) => console.error(line),
    })
  }
} catch (error) {
  if (!(error instanceof KeyRingError)) throw error
  console.error(`keys: ${error.message}`)
  process.exitCode = error.code === 'USAGE' ? 2 : 1
}
