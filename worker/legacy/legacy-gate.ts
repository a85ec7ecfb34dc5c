import { parseLegacySettings } from './legacy-settings.ts'
import { createLegacyUsageStore } from './legacy-usage.ts'
import type { Config } from '../config.ts'
import type { LegacySettings } from './legacy-settings.ts'
import type { LegacyUsageStore } from './legacy-usage.ts'

/** What the issuer holds for the legacy path: the phase settings and the usage counters. */
export type LegacyGate = { settings: LegacySettings; usage: LegacyUsageStore }

/** Checks the legacy settings at start-up (a `ConfigError` names a bad value). */
export function createLegacyGate(
  env: { DB: D1Database } & Readonly<Record<string, unknown>>,
  config: Config,
): LegacyGate {
  return { settings: parseLegacySettings(env, config), usage: createLegacyUsageStore(env.DB) }
}
