import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { experimental_readRawConfig } from 'wrangler'

/**
 * A copy of the wrangler config at `configPath`, written as `wrangler.json` into `dir`, with every
 * path it names made absolute. Wrangler reads `.dev.vars` (or `.env`) from beside its config, so
 * a config in a directory of its own sees none of a developer's local values: what tests need.
 * The copy has no `[build]` (it names a command to run in the project, which tests do first).
 */
export async function writeIsolatedWranglerConfig(configPath: string, dir: string) {
  const { rawConfig } = experimental_readRawConfig({ config: configPath })
  const base = dirname(resolve(configPath))
  const absolute = (path: string | undefined) => (path === undefined ? path : resolve(base, path))
  const { build: _build, ...config } = rawConfig
  const isolated = {
    ...config,
    main: absolute(config.main),
    d1_databases: config.d1_databases?.map((database: { migrations_dir?: string }) => ({
      ...database,
      migrations_dir: absolute(database.migrations_dir),
    })),
  }
  await mkdir(dir, { recursive: true })
  const path = join(dir, 'wrangler.json')
  await writeFile(path, `${JSON.stringify(isolated, null, 2)}\n`)
  return path
}
