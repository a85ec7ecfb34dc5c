import { parseLegacySettings } from './legacy-settings'
import { createLegacyUsageStore } from './legacy-usage'
import type { Config } from '../config'
import type { LegacySettings } from './legacy-settings'
import type { LegacyUsageStore } from './legacy-usage'

/** What the issuer holds for the legacy path: the phase settings and the usage counters. */
export type LegacyGate = { settings: LegacySettings; usage: LegacyUsageStore }

/** Checks the legacy settings at start-up (a `ConfigError` names a bad value). */
export function createLegacyGate(
  env: { DB: D1Database } & Readonly<Record<string, unknown>>,
  config: Config,
): LegacyGate {
  return { settings: parseLegacySettings(env, config), usage: createLegacyUsageStore(env.DB) }
}
