import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { parseVarsTable, readTokenTiming } from '../../scripts/lib/wrangler-vars.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('token timing from wrangler.toml', () => {
  test("the repository's wrangler.toml gives the access-token lifetime and leeway", async () => {
    expect(await readTokenTiming(join(root, 'wrangler.toml'))).toEqual({
      accessTokenTtl: 900,
      clockSkewLeeway: 30,
    })
  })

  test('a missing file falls back to the defaults', async () => {
    expect(await readTokenTiming(join(root, 'no-such-wrangler.toml'))).toEqual({
      accessTokenTtl: 900,
      clockSkewLeeway: 30,
    })
  })

  test('only the [vars] table is read', () => {
    const toml = [
      'ACCESS_TOKEN_TTL = "1"',
      '[vars]',
      'ACCESS_TOKEN_TTL = "600" # ten minutes',
      'CLOCK_SKEW_LEEWAY = 10',
      '[[d1_databases]]',
      'CLOCK_SKEW_LEEWAY = "99"',
    ].join('\n')
    expect(parseVarsTable(toml)).toEqual({ ACCESS_TOKEN_TTL: '600', CLOCK_SKEW_LEEWAY: '10' })
  })
})
