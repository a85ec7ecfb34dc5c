import { decodeJwt, decodeProtectedHeader } from 'jose'
import { ConfigError, parseConfig } from '../../worker/config/config.ts'
import { MAX_TOKEN_BYTES } from '../../contract/index.ts'
import { isLegacyCandidate } from '../../verify/legacy-candidate.ts'
import { isRefreshTokenShape } from '../../worker/tokens/refresh-token.ts'
import { inspectAccessToken } from './legacy-inspect-rotor.ts'
import { inspectLegacyToken } from './legacy-inspect-legacy.ts'
import { cannotJudge, refused } from './legacy-inspect-verdict.ts'
import type { Judgement } from './legacy-inspect-verdict.ts'

/** What token:inspect says about one token under one configuration. */
export type Inspection = Judgement & {
  kind: 'rotor' | 'legacy' | 'unreadable'
  /** The decoded JOSE header and claims, when the token is a JWT (never the signature). */
  header?: Record<string, unknown>
  claims?: Record<string, unknown>
}

/**
 * Decodes any token and decides, with the worker's own verification code, whether a worker with
 * configuration `env` (vars and secrets) would accept it at `now` (epoch ms), and why not.
 * Nothing here is printed: callers choose what to show, and secrets never enter the result.
 */
export async function inspectToken(
  token: string,
  env: Readonly<Record<string, unknown>>,
  now: number,
): Promise<Inspection> {
  const trimmed = token.trim()
  if (trimmed.length > MAX_TOKEN_BYTES) {
    return unreadable(
      `It is ${trimmed.length} bytes; tokens over ${MAX_TOKEN_BYTES} are refused unread.`,
    )
  }
  const decoded = decode(trimmed)
  if (!decoded) {
    const notes = isRefreshTokenShape(trimmed)
      ? [
          'It has the shape of a Rotor refresh token: opaque, checked only against D1, never a bearer token.',
        ]
      : []
    return unreadable(
      'It is not a JWT (three base64url parts with a JSON header and claims).',
      notes,
    )
  }
  let config
  try {
    config = parseConfig(env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return { kind: 'rotor', ...decoded, ...cannotJudge(error.message) }
  }
  const legacyPath = isLegacyCandidate(trimmed)
  const judgement = legacyPath
    ? await inspectLegacyToken(trimmed, decoded, env, config, now)
    : await inspectAccessToken(trimmed, decoded, env, config, now)
  return { kind: legacyPath ? 'legacy' : 'rotor', ...decoded, ...judgement }
}

function decode(token: string) {
  try {
    return {
      header: decodeProtectedHeader(token) as Record<string, unknown>,
      claims: decodeJwt(token) as Record<string, unknown>,
    }
  } catch {
    return undefined
  }
}

function unreadable(why: string, notes: string[] = []): Inspection {
  return { kind: 'unreadable', ...refused('TOKEN_INVALID', [why], notes) }
}
