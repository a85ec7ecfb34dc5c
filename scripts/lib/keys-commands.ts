import type { SigningAlg } from '../../contract/index.ts'
import { PUBLISH_LEAD, SIGNING_ALGS } from '../../contract/index.ts'
import { join, resolve } from 'node:path'
import { describeKeys, nextSteps } from './key-ring/describe.ts'
import { KeyRingError } from './key-ring/key-ring-error.ts'
import { retire } from './key-ring/retire.ts'
import { replacementNeeded, revoke } from './key-ring/revoke.ts'
import { addNext, findKey, promote } from './key-ring/rotate.ts'
import { formatDuration, retiredKeepSeconds } from './key-ring/timing.ts'
import { validateKeySet } from './key-ring/validate.ts'
import { isDevelopmentRingFile, readKeyRingFile } from './key-ring-file.ts'
import type { KeyRingFile } from './key-ring-file.ts'
import type { KeysArgs } from './keys-args.ts'
import { saveRing } from './save-ring.ts'
import type { KeysContext } from './save-ring.ts'
import { generateSigningKey } from './signing-keys.ts'
import type { KeySet } from './signing-keys.ts'
import { readSigningAlg, readTokenTiming } from './wrangler-vars.ts'
import type { SigningAlgSetting } from './wrangler-vars.ts'

type Loaded = { file: KeyRingFile; ring: KeySet; keepSeconds: number; signing: SigningAlgSetting }

/** Runs one `npm run keys` command except `help`; resolves to the process exit status. */
export async function runKeysCommand(args: KeysArgs, context: KeysContext): Promise<number> {
  const path = args.file ? resolve(context.cwd, args.file) : join(context.root, '.dev.vars')
  if (args.apply && isDevelopmentRingFile(path)) {
    throw new KeyRingError(
      'USAGE',
      `--apply puts a ring into the production secret, and ${path} is the development ring; ` +
        "keep production's ring in a file of its own (--file prod.json)",
    )
  }
  if (args.command === 'generate') return generate(path, args, context)
  const loaded = await load(path, args, context)
  if (args.command === 'rotate') return rotate(loaded, args, context)
  if (args.command === 'retire') return retireExpired(loaded, args, context)
  if (args.command === 'revoke') return revokeKid(loaded, args, context)
  list(loaded, args.now, context)
  return 0
}

async function generate(path: string, args: KeysArgs, context: KeysContext) {
  const file = await readKeyRingFile(path)
  if (file.signingKeys !== undefined && !args.force) {
    throw new KeyRingError(
      'EXISTS',
      `refused: ${path} already holds SIGNING_KEYS; --force replaces it`,
    )
  }
  if (file.signingKeys !== undefined) {
    context.warn('WARNING: --force replaces the whole ring: every token its keys signed fails.')
  }
  const algs = args.alg === undefined || args.alg === 'all' ? SIGNING_ALGS : [args.alg]
  const keys = await Promise.all(
    algs.map((alg) => generateSigningKey(alg, 'current', { now: args.now })),
  )
  keys.forEach((key) => context.out(`generated ${key.alg} current key ${key.kid}`))
  return saveRing(file, validateKeySet({ keys }), args.apply, context)
}

async function rotate(loaded: Loaded, args: KeysArgs, context: KeysContext) {
  const { file, ring, keepSeconds, signing } = loaded
  const { now, force } = args
  let rotated = ring
  const lines: string[] = []
  // Every alg is stepped before anything is written: one refusal leaves the file untouched.
  for (const alg of selectAlgs(args.alg ?? 'ES256', ring)) {
    if (findKey(rotated, alg, 'next')) {
      const result = promote(rotated, alg, { now, force })
      result.warnings.forEach((warning) => context.warn(`WARNING: ${warning}`))
      const signs = alg === signing.alg ? 'and signs' : `(signs once SIGNING_ALG is ${alg})`
      lines.push(`${alg}: ${result.promoted} is current ${signs}`)
      if (result.retiring) {
        const wait = formatDuration(keepSeconds)
        lines.push(`${alg}: ${result.retiring} is retiring; retire can drop it in ${wait}`)
      }
      rotated = result.ring
    } else {
      const key = await generateSigningKey(alg, 'next', { now })
      rotated = addNext(rotated, key, now)
      const wait = formatDuration(PUBLISH_LEAD)
      lines.push(`${alg}: published next key ${key.kid}; rotate again in ${wait} to promote it`)
    }
  }
  lines.forEach((line) => context.out(line))
  return saveRing(file, rotated, args.apply, context)
}

async function retireExpired(loaded: Loaded, args: KeysArgs, context: KeysContext) {
  const algs = selectAlgs(args.alg ?? 'ES256', loaded.ring)
  const result = retire(loaded.ring, { now: args.now, keepSeconds: loaded.keepSeconds, algs })
  if (result.decisions.length === 0) context.out(`no retiring ${algs.join(', ')} keys`)
  for (const { kid, alg, dropped, reason } of result.decisions) {
    context.out(`${dropped ? 'dropped' : 'kept'} ${alg} ${kid}: ${reason}`)
  }
  if (!result.decisions.some((decision) => decision.dropped)) return 0
  return saveRing(loaded.file, result.ring, args.apply, context)
}

async function revokeKid({ file, ring }: Loaded, args: KeysArgs, context: KeysContext) {
  const { now } = args
  const kid = args.kid!
  const alg = replacementNeeded(ring, kid)
  const replacement = alg ? await generateSigningKey(alg, 'current', { now }) : undefined
  const result = revoke(ring, kid, { now, ...(replacement ? { replacement } : {}) })
  const { revoked } = result
  context.out(`revoked ${revoked.alg} ${revoked.status} key ${revoked.kid}`)
  if (result.promoted) context.out(`${revoked.alg}: next key ${result.promoted} is current now`)
  if (result.generated) context.out(`${revoked.alg}: generated current key ${result.generated}`)
  result.warnings.forEach((warning) => context.warn(`WARNING: ${warning}`))
  return saveRing(file, result.ring, args.apply, context)
}

function list({ ring, keepSeconds, signing }: Loaded, now: number, context: KeysContext) {
  const rows = describeKeys(ring, { now, keepSeconds, signingAlg: signing.alg })
  const header = { kid: 'KID', alg: 'ALG', status: 'STATUS', age: 'AGE', note: 'NOTE' }
  const columns = ['kid', 'alg', 'status', 'age'] as const
  const widths = columns.map((c) => Math.max(...[header, ...rows].map((row) => row[c].length)))
  for (const row of [header, ...rows]) {
    context.out(`${columns.map((c, i) => row[c].padEnd(widths[i]!)).join('  ')}  ${row.note}`)
  }
  context.out(`\nSIGNING_ALG is ${signing.alg} (${signing.source}): its current key signs.`)
  context.out(
    `Retiring keys stay published ${formatDuration(keepSeconds)} after they stop signing.`,
  )
  context.out('Next safe steps (npm run keys -- ...):')
  nextSteps(ring, { now, keepSeconds }).forEach((step) => context.out(`  ${step}`))
}

async function load(path: string, args: KeysArgs, context: KeysContext): Promise<Loaded> {
  const file = await readKeyRingFile(path)
  if (file.signingKeys === undefined) {
    throw new KeyRingError('NOT_FOUND', `${path} holds no SIGNING_KEYS: run generate first`)
  }
  const wranglerToml = join(context.root, 'wrangler.toml')
  const timing = await readTokenTiming(wranglerToml)
  const keepSeconds = retiredKeepSeconds({
    accessTokenTtl: args.accessTokenTtl ?? timing.accessTokenTtl,
    clockSkewLeeway: args.clockSkewLeeway ?? timing.clockSkewLeeway,
  })
  const signing = await readSigningAlg(wranglerToml, file)
  return { file, ring: validateKeySet(file.signingKeys), keepSeconds, signing }
}

// `all` means the algs the ring signs or will sign with, never a new alg by surprise.
function selectAlgs(alg: SigningAlg | 'all', ring: KeySet): SigningAlg[] {
  if (alg !== 'all') return [alg]
  return SIGNING_ALGS.filter((a) => ring.keys.some((k) => k.alg === a && k.status !== 'retiring'))
}
