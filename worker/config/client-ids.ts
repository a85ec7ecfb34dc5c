import { ConfigError } from './config-error.ts'

/**
 * The first-party clients a session can be started for (RFC 9068 §2.2 `client_id`): `ids` in the
 * order `CLIENT_IDS` lists them, the first being `default`, the client of a sign-in that names none.
 */
export type ClientIds = { ids: readonly string[]; default: string }

const DEFAULT_CLIENT_IDS = 'web,ios,android,cli'
// Short, lower-case, URL- and log-safe: a client id is a label, never a secret or free text.
const CLIENT_ID = /^[a-z0-9][a-z0-9._-]{0,31}$/

/** `CLIENT_IDS`, a comma list like `web,ios,android,cli`; names the value when it is bad. */
export function parseClientIds(env: Readonly<Record<string, unknown>>): ClientIds {
  const value =
    env.CLIENT_IDS === undefined || env.CLIENT_IDS === '' ? DEFAULT_CLIENT_IDS : env.CLIENT_IDS
  if (typeof value !== 'string') throw new ConfigError('CLIENT_IDS must be a comma-separated list')
  const ids = value.split(',').map((entry) => entry.trim())
  const bad = ids.find((id) => !CLIENT_ID.test(id))
  if (bad !== undefined) {
    throw new ConfigError(
      `CLIENT_IDS entries must be 1–32 of a-z, 0-9, ".", "_", "-" (got ${JSON.stringify(bad.slice(0, 40))})`,
    )
  }
  if (new Set(ids).size !== ids.length) throw new ConfigError('CLIENT_IDS lists a client twice')
  return { ids, default: ids[0] as string }
}
