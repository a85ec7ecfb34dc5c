import type { SigningAlg } from '../../contract/index.ts'
import { SIGNING_ALGS } from '../../contract/index.ts'
import { parseEnv } from 'node:util'
import { readIfExists } from './read-if-exists.ts'
import { isJsonRingFile } from './key-ring-file.ts'
import type { KeyRingFile } from './key-ring-file.ts'
import { DEFAULT_TIMING } from './key-ring/timing.ts'
import type { TokenTiming } from './key-ring/timing.ts'

/**
 * `ACCESS_TOKEN_TTL` and `CLOCK_SKEW_LEEWAY` from the `[vars]` table of `wrangler.toml`, each
 * falling back to the worker's default when the file or the value is absent.
 */
export async function readTokenTiming(wranglerToml: string): Promise<TokenTiming> {
  const vars = parseVarsTable((await readIfExists(wranglerToml)) ?? '')
  return {
    accessTokenTtl: seconds(vars.ACCESS_TOKEN_TTL) ?? DEFAULT_TIMING.accessTokenTtl,
    clockSkewLeeway: seconds(vars.CLOCK_SKEW_LEEWAY) ?? DEFAULT_TIMING.clockSkewLeeway,
  }
}

/** Which algorithm's current key signs, and where that was read, for people. */
export type SigningAlgSetting = { alg: SigningAlg; source: string }

/**
 * `SIGNING_ALG` as the worker beside this ring would read it: the ring's own dotenv file (as
 * `.dev.vars` overrides [vars] in `wrangler dev`), then `wrangler.toml` [vars], then ES256.
 */
export async function readSigningAlg(
  wranglerToml: string,
  ringFile: KeyRingFile,
): Promise<SigningAlgSetting> {
  const local = isJsonRingFile(ringFile.path) ? undefined : parseEnv(ringFile.text).SIGNING_ALG
  if (isSigningAlg(local)) return { alg: local, source: ringFile.path }
  const vars = parseVarsTable((await readIfExists(wranglerToml)) ?? '')
  if (isSigningAlg(vars.SIGNING_ALG))
    return { alg: vars.SIGNING_ALG, source: 'wrangler.toml [vars]' }
  return { alg: 'ES256', source: 'the default' }
}

/**
 * The `NAME = "value"` and `NAME = 123` lines of the top-level `[vars]` table. Deliberately
 * small: wrangler.toml keeps its vars flat, and a value this misses falls back to its default.
 */
export function parseVarsTable(toml: string): Record<string, string> {
  const vars: Record<string, string> = {}
  let inVars = false
  for (const line of toml.split('\n')) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line)
    if (header) {
      inVars = header[1] === 'vars'
      continue
    }
    const entry =
      inVars && /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"]*)"|(\d+))\s*(#.*)?$/.exec(line)
    if (entry) vars[entry[1]!] = entry[2] ?? entry[3]!
  }
  return vars
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined
  return Number(value)
}

function isSigningAlg(value: string | undefined): value is SigningAlg {
  return SIGNING_ALGS.includes(value as SigningAlg)
}
