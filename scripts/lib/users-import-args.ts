import { ROUTES, issuerUrl } from '../../contract/index.ts'
import { resolve } from 'node:path'
import { parseArgs, parseEnv } from 'node:util'
import { readIfExists } from './read-if-exists.ts'
import { parseVarsTable } from './wrangler-vars.ts'

export type ImportArgs = {
  file: string
  remote: boolean
  /** Check the file only: nothing is sent. */
  check: boolean
  url: string | undefined
  envFile: string | undefined
}

/** Where the users go: an issuer's import route and the operator secret it takes. */
export type ImportTarget = { url: string; secret: string }

export const USAGE = `npm run users:import -- <file.jsonl> [--remote] [--url URL] [--env-file FILE] [--check]

Imports users from a JSON Lines file (README, "Importing users") through the issuer's
POST /admin/users/import: the file is checked here first, then sent 1,000 lines at a time.
Running it again is idempotent. Prints every refused line (number and reason, never a hash)
and a summary; exits 1 when a line was refused.
  (default)       the local issuer of \`npm run dev\` (ISSUER from wrangler.toml / .dev.vars),
                  with the development ADMIN_SECRET from .dev.vars (or --env-file)
  --remote        the deployed issuer: ISSUER from wrangler.toml [vars], or --url; the operator
                  secret from the ADMIN_SECRET environment variable (it cannot be read back)
  --url URL       the issuer's URL, e.g. https://auth.example.com
  --check         check the file and print what would be refused; send nothing`

/** Reads the command line; throws a `RangeError` with a usage hint. */
export function parseImportArgs(argv: readonly string[]): ImportArgs {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        remote: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        url: { type: 'string' },
        'env-file': { type: 'string' },
      },
    })
  } catch (error) {
    throw new RangeError((error as Error).message)
  }
  const { positionals, values } = parsed
  if (positionals.length !== 1) throw new RangeError('Give one file of users (JSON Lines)')
  if (values.remote && values['env-file'] !== undefined)
    throw new RangeError(
      '--env-file is for the local issuer; --remote reads ADMIN_SECRET from the environment',
    )
  return {
    file: positionals[0]!,
    remote: values.remote,
    check: values.check,
    url: values.url,
    envFile: values['env-file'],
  }
}

/**
 * The issuer and its operator secret. A secret is sent only over HTTPS, or plain HTTP to this
 * machine; an `ADMIN_SECRET` in the environment wins over the dotenv file's.
 */
export async function resolveImportTarget(
  root: string,
  args: ImportArgs,
  environment: Readonly<Record<string, string | undefined>>,
): Promise<ImportTarget> {
  const toml = parseVarsTable((await readIfExists(resolve(root, 'wrangler.toml'))) ?? '')
  const dotenvPath = resolve(root, args.envFile ?? '.dev.vars')
  const dotenv = args.remote ? {} : parseEnv((await readIfExists(dotenvPath)) ?? '')
  const issuer = args.url ?? dotenv.ISSUER ?? toml.ISSUER
  if (!issuer) throw new RangeError('No issuer URL: pass --url')
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw new RangeError(`${JSON.stringify(issuer)} is not a URL`)
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    throw new RangeError(`${issuer} is not HTTPS: the operator secret would travel in clear`)
  if (args.remote && local)
    throw new RangeError(
      `--remote but the issuer is ${issuer}: pass --url https://… (your deployment)`,
    )
  const secret = environment.ADMIN_SECRET || dotenv.ADMIN_SECRET
  if (!secret) {
    throw new RangeError(
      args.remote
        ? 'Set ADMIN_SECRET in the environment to the deployment’s operator secret'
        : `No ADMIN_SECRET in ${args.envFile ?? '.dev.vars'}: run npm run dev once to write one`,
    )
  }
  return { url: issuerUrl(issuer, ROUTES.usersImport), secret }
}
