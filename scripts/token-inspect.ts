import { text } from 'node:stream/consumers'
import { fileURLToPath } from 'node:url'
import {
  TOKEN_ARGUMENT_WARNING,
  USAGE,
  parseInspectArgs,
  readInspectEnv,
} from './lib/legacy-inspect-args.ts'

// `npm run --silent token:inspect < token.txt`: would this configuration accept the token, and if not,
// exactly why (DESIGN §8, issue 5). Loaded after the resolve hook, since it imports worker code.
const { inspectToken } = await import('./lib/legacy-inspect.ts')
const { formatInspection } = await import('./lib/legacy-inspect-format.ts')

const root = fileURLToPath(new URL('..', import.meta.url))
const argv = process.argv.slice(2)

if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE)
} else {
  try {
    const args = parseInspectArgs(argv)
    const fromStdin = args.token === undefined || args.token === '-'
    if (!fromStdin) console.error(TOKEN_ARGUMENT_WARNING)
    const token = fromStdin ? await text(process.stdin) : args.token!
    if (token.trim() === '') throw new RangeError('No token given')
    const { env, sources } = await readInspectEnv(root, args)
    const now = args.at ?? Date.now()
    const inspection = await inspectToken(token, env, now)
    for (const line of formatInspection(inspection, sources, now)) console.log(line)
    process.exitCode = { accepted: 0, refused: 1, unknown: 2 }[inspection.verdict]
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    console.error(`token:inspect: ${error.message}\n\n${USAGE}`)
    process.exitCode = 2
  }
}
