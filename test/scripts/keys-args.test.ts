import { describe, expect, test } from 'vitest'
import { parseKeysArgs } from '../../scripts/lib/keys-args.ts'
import { T0, expectRefusal } from './helpers/key-ring.ts'

const clock = () => T0
const parse = (...argv: string[]) => parseKeysArgs(argv, clock)

describe('npm run keys arguments', () => {
  test('a command with its options', () => {
    expect(parse('rotate', '--alg', 'EdDSA', '--file', 'x.vars', '--force', '--now', '42')).toEqual(
      { command: 'rotate', alg: 'EdDSA', file: 'x.vars', apply: false, force: true, now: 42 },
    )
    expect(parse('status')).toEqual({ command: 'list', apply: false, force: false, now: T0 })
    expect(parse('retire', '--alg=all', '--access-token-ttl', '60', '--leeway', '5')).toMatchObject(
      { alg: 'all', accessTokenTtl: 60, clockSkewLeeway: 5 },
    )
    expect(parse('revoke', 'es256-1-abc', '--apply')).toMatchObject({
      command: 'revoke',
      kid: 'es256-1-abc',
      apply: true,
    })
    expect(parse('--help').command).toBe('help')
  })

  test.each([
    [[], /no command/],
    [['spin'], /unknown command spin/],
    [['revoke'], /needs the kid/],
    [['rotate', 'extra'], /unexpected argument extra/],
    [['rotate', '--alg', 'HS256'], /--alg must be one of/],
    [['rotate', '--now', 'yesterday'], /--now must be a whole number/],
    [['rotate', '--unknown'], /Unknown option/],
  ])('%j is a usage error', (argv, message) => {
    expectRefusal(() => parse(...argv), 'USAGE', message)
  })
})
