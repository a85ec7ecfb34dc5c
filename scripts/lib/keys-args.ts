import type { SigningAlg } from '../../contract/index.ts'
import { SIGNING_ALGS } from '../../contract/index.ts'
import { parseArgs } from 'node:util'
import { KeyRingError } from './key-ring/key-ring-error.ts'

export type KeysCommand = 'generate' | 'rotate' | 'retire' | 'revoke' | 'list' | 'help'

/** `npm run keys -- …` arguments, checked. */
export type KeysArgs = {
  command: KeysCommand
  /** The kid to revoke. */
  kid?: string
  /** `--alg`: one alg, `'all'`, or absent (each command picks its default). */
  alg?: SigningAlg | 'all'
  file?: string
  apply: boolean
  force: boolean
  /** `--now`, epoch seconds, else the system clock. */
  now: number
  accessTokenTtl?: number
  clockSkewLeeway?: number
}

export const USAGE = `Usage: npm run keys -- <command> [options]

Manages SIGNING_KEYS, the JWK Set of private keys the issuer signs with. Keys pass through
next (published, not signing) -> current (signs) -> retiring (published, verifies only) -> gone.

Commands:
  generate       write a first ring: one current key per algorithm (or --alg); refuses to
                 replace an existing ring without --force
  rotate         one step per call, for --alg: publish a next key; or, once it has been
                 published for 15 min (JWKS caches are 300 s), promote it to current and move
                 the current key to retiring
  retire         drop retiring keys whose tokens have all expired (access-token lifetime +
                 clock-skew leeway + JWKS cache lifetime after they stopped signing)
  revoke <kid>   emergency: drop that key now; a current key is replaced by the next key, or by
                 a freshly generated one
  list, status   table of kid, alg, status, age (only SIGNING_ALG's current key signs), and the
                 next safe step per algorithm

Options:
  --alg A        ES256 | EdDSA | RS256 | all (default ES256; generate: all)
  --file PATH    the ring: a dotenv file holding SIGNING_KEYS (default .dev.vars, the
                 development ring, which never goes into the production secret), or a *.json
                 file holding the JWK Set itself; keep the production ring in its own file,
                 since a Workers secret cannot be read back
  --apply        run \`wrangler secret put SIGNING_KEYS\` after writing, instead of printing it
                 (refused for .dev.vars)
  --force        rotate: promote before the 15 min wait; generate: replace an existing ring
  --now EPOCH    the clock, in epoch seconds (tests, dry runs)
  --access-token-ttl S, --leeway S
                 override ACCESS_TOKEN_TTL and CLOCK_SKEW_LEEWAY (default: wrangler.toml [vars])

Private key material is never printed; the file is written with mode 0600.`

const COMMANDS: Readonly<Record<string, KeysCommand>> = {
  generate: 'generate',
  rotate: 'rotate',
  retire: 'retire',
  revoke: 'revoke',
  list: 'list',
  status: 'list',
  help: 'help',
}

/** Parses `process.argv.slice(2)`; throws `USAGE` errors with the reason. */
export function parseKeysArgs(argv: readonly string[], clock: () => number): KeysArgs {
  const { values, positionals } = parse(argv)
  if (values.help) return { command: 'help', apply: false, force: false, now: clock() }
  const [name, ...rest] = positionals
  const command = name === undefined ? undefined : COMMANDS[name]
  if (!command) throw usage(name === undefined ? 'no command given' : `unknown command ${name}`)
  const kid = command === 'revoke' ? rest.shift() : undefined
  if (command === 'revoke' && !kid) throw usage('revoke needs the kid to drop')
  if (rest.length > 0) throw usage(`unexpected argument ${rest[0]}`)
  return {
    command,
    ...(kid ? { kid } : {}),
    ...(values.alg === undefined ? {} : { alg: algOption(values.alg) }),
    ...(values.file === undefined ? {} : { file: values.file }),
    apply: values.apply ?? false,
    force: values.force ?? false,
    now: values.now === undefined ? clock() : wholeNumber('--now', values.now),
    ...optionalSeconds('accessTokenTtl', '--access-token-ttl', values['access-token-ttl']),
    ...optionalSeconds('clockSkewLeeway', '--leeway', values.leeway),
  }
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        alg: { type: 'string' },
        file: { type: 'string' },
        apply: { type: 'boolean' },
        force: { type: 'boolean' },
        now: { type: 'string' },
        'access-token-ttl': { type: 'string' },
        leeway: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    throw usage((error as Error).message)
  }
}

function algOption(value: string): SigningAlg | 'all' {
  if (value === 'all' || SIGNING_ALGS.includes(value as SigningAlg)) return value as SigningAlg
  throw usage(`--alg must be one of ${SIGNING_ALGS.join(', ')} or all, not ${value}`)
}

function optionalSeconds(key: string, flag: string, value: string | undefined) {
  return value === undefined ? {} : { [key]: wholeNumber(flag, value) }
}

function wholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw usage(`${flag} must be a whole number of seconds`)
  return Number(value)
}

function usage(reason: string): KeyRingError {
  return new KeyRingError('USAGE', `${reason}\nRun \`npm run keys -- help\` for usage.`)
}
