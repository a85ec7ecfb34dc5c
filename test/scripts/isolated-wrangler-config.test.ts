import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { unstable_getMiniflareWorkerOptions } from 'wrangler'
import { writeIsolatedWranglerConfig } from '../../scripts/lib/isolated-wrangler-config.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const HOSTILE = "ACCESS_TOKEN_TTL='5'\nLEGACY_JWT_SECRET='from-a-local-file'\n"

/** The vars and secrets wrangler would hand the worker for the config at `path`. */
function bindingsOf(path: string): Record<string, unknown> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path)
  return (workerOptions.bindings ?? {}) as Record<string, unknown>
}

describe('the wrangler config the workerd tests run on', () => {
  let dir = ''
  afterEach(() => rm(dir, { recursive: true, force: true }))

  test('ignores a developer’s .dev.vars and .env, which wrangler.toml in place would read', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rotor-config-'))
    const project = join(dir, 'project')
    await writeIsolatedWranglerConfig(join(root, 'wrangler.toml'), project)
    await copyFile(join(root, 'wrangler.toml'), join(project, 'wrangler.toml'))
    await writeFile(join(project, '.dev.vars'), HOSTILE)
    await writeFile(join(project, '.env'), HOSTILE)
    // In place, the local file wins over [vars]: what made a login test fail on a dev machine.
    expect(bindingsOf(join(project, 'wrangler.toml'))).toMatchObject({ ACCESS_TOKEN_TTL: '5' })

    const isolated = await writeIsolatedWranglerConfig(
      join(project, 'wrangler.toml'),
      join(dir, 'isolated'),
    )
    const bindings = bindingsOf(isolated)
    expect(bindings.ACCESS_TOKEN_TTL).toBe('900')
    expect(bindings).not.toHaveProperty('LEGACY_JWT_SECRET')
  })

  test('keeps the worker’s entry and migrations, by absolute path', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rotor-config-'))
    const isolated = await writeIsolatedWranglerConfig(join(root, 'wrangler.toml'), dir)
    const { main } = unstable_getMiniflareWorkerOptions(isolated)
    expect(main).toBe(join(root, 'worker/index.ts'))
    const config = JSON.parse(await readFile(isolated, 'utf8'))
    expect(config.d1_databases[0].migrations_dir).toBe(join(root, 'db/migrations'))
    expect(config).not.toHaveProperty('build')
  })
})
