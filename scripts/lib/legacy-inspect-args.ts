import { readIfExists } from './read-if-exists.ts'
import { join, resolve } from 'node:path'
import { parseEnv } from 'node:util'
import { parseVarsTable } from './wrangler-vars.ts'

export type InspectArgs = {
  /** `undefined` or `-`: read the token from standard input (keeps it out of shell history). */
  token: string | undefined
  /** `--var NAME:VALUE` overrides, as `wrangler dev --var` takes them. */
  vars: Record<string, string>
  /** Secrets and local vars: `.dev.vars` unless `--env-file` names another dotenv file. */
  envFile: string | undefined
  /** `--at <date>`: judge at another time (epoch ms), e.g. "still accepted next month?". */
  at: number | undefined
}

export const USAGE = `npm run --silent token:inspect -- [-] [--var NAME:VALUE]... [--env-file FILE] [--at DATE] < token.txt

Decodes a token (Rotor access token, legacy JWT, or anything else) and says whether the
configuration — wrangler.toml [vars], then .dev.vars (or --env-file), then --var — would accept
it, and why not. Reads the token from standard input (a token given as the first argument still
works, but lands in shell history and npm's banner). Never prints a signature or a secret. For a
deployment's legacy key, which a Workers secret cannot give back, put LEGACY_JWT_SECRET (or
LEGACY_PUBLIC_KEY) in a private dotenv file and pass --env-file. Exit status: 0 accepted,
1 refused, 2 cannot tell (bad configuration or usage).`

/** Said on standard error when the token came as an argument: where it has been copied to. */
export const TOKEN_ARGUMENT_WARNING =
  'token:inspect: the token was given as an argument, so your shell history keeps it and ' +
  '`npm run` printed it in its banner; pass it on standard input instead ' +
  '(npm run --silent token:inspect < token.txt)'

export function parseInspectArgs(argv: readonly string[]): InspectArgs {
  const args: InspectArgs = { token: undefined, vars: {}, envFile: undefined, at: undefined }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--var' || arg === '--env-file' || arg === '--at') {
      const value = argv[++i]
      if (value === undefined) throw new RangeError(`${arg} needs a value`)
      if (arg === '--env-file') args.envFile = value
      else if (arg === '--at') args.at = readDate(value)
      else {
        const colon = value.indexOf(':')
        if (colon < 1) throw new RangeError('--var takes NAME:VALUE')
        args.vars[value.slice(0, colon)] = value.slice(colon + 1)
      }
    } else if (arg.startsWith('--')) {
      throw new RangeError(`Unknown option ${arg}`)
    } else if (args.token === undefined) {
      args.token = arg
    } else {
      throw new RangeError('Give one token')
    }
  }
  return args
}

/**
 * The variables a worker started from `root` would see, layered as wrangler layers them, and
 * the names of the sources used (for the report's last line — names only, never values).
 */
export async function readInspectEnv(
  root: string,
  args: Pick<InspectArgs, 'vars' | 'envFile'>,
): Promise<{ env: Record<string, string>; sources: string[] }> {
  const sources: string[] = []
  const toml = await readIfExists(join(root, 'wrangler.toml'))
  if (toml !== undefined) sources.push('wrangler.toml [vars]')
  const dotenvPath = resolve(root, args.envFile ?? '.dev.vars')
  const dotenv = await readIfExists(dotenvPath)
  if (dotenv !== undefined) sources.push(args.envFile ?? '.dev.vars')
  const overrides = Object.keys(args.vars)
  if (overrides.length > 0) sources.push(`--var ${overrides.join(', ')}`)
  const env = {
    ...parseVarsTable(toml ?? ''),
    ...(dotenv === undefined ? {} : (parseEnv(dotenv) as Record<string, string>)),
    ...args.vars,
  }
  return { env, sources }
}

function readDate(value: string): number {
  const at = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value)
  if (Number.isNaN(at)) throw new RangeError('--at takes a date (ISO 8601) or epoch seconds')
  return at
}
