import { describe, expect, test } from 'vitest'
import { withDemoOn, withDevDefault } from '../../scripts/lib/demo-var.ts'

describe('npm run dev and the demo page', () => {
  test('turns DEMO on after the arguments, so no positional joins its --var list', () => {
    expect(withDemoOn(['--port', '8899', '--var', 'ACCESS_TOKEN_TTL:20'], {})).toEqual([
      '--port',
      '8899',
      '--var',
      'ACCESS_TOKEN_TTL:20',
      '--var',
      'DEMO:on',
    ])
  })

  test.each([
    [['--var', 'DEMO:off']],
    [['--var=DEMO:off']],
    [['--var', 'ACCESS_TOKEN_TTL:20', 'DEMO:off']],
  ])('leaves a DEMO the user passes alone: %j', (args) => {
    expect(withDemoOn(args, {})).toEqual(args)
  })

  test('leaves a DEMO set in the vars file alone', () => {
    expect(withDemoOn(['--port', '8899'], { DEMO: 'off' })).toEqual(['--port', '8899'])
  })

  test('a var whose name merely ends in DEMO does not count', () => {
    expect(withDemoOn(['--var', 'NODEMO:x'], {})).toEqual(['--var', 'NODEMO:x', '--var', 'DEMO:on'])
  })
})

describe('npm run dev and the mail outbox', () => {
  test('turns MAIL_TRANSPORT to the outbox unless the arguments or the vars file set it', () => {
    expect(withDevDefault(['--port', '8899'], {}, 'MAIL_TRANSPORT', 'outbox')).toEqual([
      '--port',
      '8899',
      '--var',
      'MAIL_TRANSPORT:outbox',
    ])
    const chosen = ['--var', 'MAIL_TRANSPORT:webhook']
    expect(withDevDefault(chosen, {}, 'MAIL_TRANSPORT', 'outbox')).toEqual(chosen)
    expect(withDevDefault([], { MAIL_TRANSPORT: 'off' }, 'MAIL_TRANSPORT', 'outbox')).toEqual([])
  })
})
