import { describe, expect, test } from 'vitest'
import {
  parseChallenges,
  parseStepUpChallenge,
  readStepUpRequirement,
  stepUpChallenge,
} from '../../contract/index.ts'

describe('the step-up challenge, built and read back (RFC 9470 §3)', () => {
  test('what the verifier writes, the client reads back the same', () => {
    const requirement = { acrValues: ['urn:rotor:aal2', 'gold'], maxAge: 300, amrValues: ['otp'] }
    const header = stepUpChallenge(requirement, 'More recent authentication is required')
    expect(header).toBe(
      'Bearer error="insufficient_user_authentication", ' +
        'error_description="More recent authentication is required", ' +
        'acr_values="urn:rotor:aal2 gold", max_age="300", amr_values="otp"',
    )
    expect(parseStepUpChallenge(header)).toEqual(requirement)
  })

  test('the RFC’s own examples, token or quoted values, any case of the scheme', () => {
    expect(
      parseStepUpChallenge(
        'Bearer error="insufficient_user_authentication", ' +
          'error_description="A different authentication level is required", acr_values="myACR"',
      ),
    ).toEqual({ acrValues: ['myACR'] })
    expect(parseStepUpChallenge('bearer error=insufficient_user_authentication,max_age=5')).toEqual(
      { maxAge: 5 },
    )
    expect(parseStepUpChallenge('Bearer error="insufficient_user_authentication"')).toEqual({})
  })

  test('among other challenges, the Bearer step-up one is found', () => {
    const header =
      'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple", ' +
      'Negotiate abc123==, Bearer realm="api", error="insufficient_user_authentication", max_age="60"'
    expect(parseChallenges(header)?.map(({ scheme }) => scheme)).toEqual([
      'newauth',
      'basic',
      'negotiate',
      'bearer',
    ])
    expect(parseChallenges(header)?.[0]?.params?.get('title')).toBe('Login to "apps"')
    expect(parseStepUpChallenge(header)).toEqual({ maxAge: 60 })
  })

  test.each([
    ['no header', null],
    ['a bare Bearer', 'Bearer'],
    ['another error', 'Bearer error="invalid_token", max_age="60"'],
    ['the error in another scheme', 'DPoP error="insufficient_user_authentication"'],
    [
      'two step-up challenges',
      'Bearer error="insufficient_user_authentication", max_age="60", ' +
        'Bearer error="insufficient_user_authentication", max_age="600"',
    ],
    ['a parameter twice', 'Bearer error="insufficient_user_authentication", max_age=60, max_age=6'],
    [
      'an error named twice',
      'Bearer error="invalid_token", error="insufficient_user_authentication"',
    ],
    ['a negative max_age', 'Bearer error="insufficient_user_authentication", max_age="-1"'],
    ['a fractional max_age', 'Bearer error="insufficient_user_authentication", max_age="1.5"'],
    ['a max_age over a year', 'Bearer error="insufficient_user_authentication", max_age=99999999'],
    ['an empty acr_values', 'Bearer error="insufficient_user_authentication", acr_values=""'],
    ['a doubled space', 'Bearer error="insufficient_user_authentication", acr_values="a  b"'],
    ['an unclosed quote', 'Bearer error="insufficient_user_authentication, max_age="60"'],
    ['a stray character', 'Bearer error="insufficient_user_authentication" ; max_age="60"'],
    [
      'a header over 8 KiB',
      `Bearer error="insufficient_user_authentication", x="${'a'.repeat(9000)}"`,
    ],
  ])('%s: no requirement', (_, header) => {
    expect(parseStepUpChallenge(header)).toBeUndefined()
  })

  test('the body copy is read only when it is exactly a requirement', () => {
    expect(readStepUpRequirement({ maxAge: 300, amrValues: ['otp'] })).toEqual({
      maxAge: 300,
      amrValues: ['otp'],
    })
    for (const hostile of [
      null,
      'otp',
      [],
      { maxAge: '300' },
      { amrValues: 'otp' },
      { amrValues: ['o t p'] },
      { acrValues: Array.from({ length: 17 }, (_, i) => `l${i}`) },
      { maxAge: 300, extra: true },
    ])
      expect(readStepUpRequirement(hostile)).toBeUndefined()
  })

  test('a description loses what a quoted string cannot hold', () => {
    expect(stepUpChallenge({ maxAge: 5 }, 'say "hi"\\\n')).toBe(
      'Bearer error="insufficient_user_authentication", error_description="say hi", max_age="5"',
    )
  })
})
