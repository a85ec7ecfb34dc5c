import { describe, expect, test } from 'vitest'
import {
  ALLOWED_ORIGIN,
  acceptCookiePair,
  expectIntact,
  failure,
  snapshot,
  useScene,
} from './helpers.ts'
import type { CallResult } from './helpers.ts'

// Cookie tossing (RFC 6265bis §8.6, "Weak Integrity"; OWASP session management cheat sheet): a
// sibling subdomain plants the attacker's own refresh cookie in the victim's browser, beside the
// victim's. Whichever parser reads the header, the issuer must never act on the planted one, so
// any header in which the refresh cookie could be named twice is refused whole.
const scene = useScene({ attacker: true, cookie: true })
const { t } = scene

const conflict = { status: 400, reason: 'CREDENTIALS_CONFLICT' }
const planted = (name: string) => `${name}=${scene.attacker.pair.refreshToken}`

/** Names some parser (a browser, Hono, another framework) could take for the refresh cookie. */
const variants = [
  ['the exact name', '__Secure-rotor-refresh'],
  ['a space before =', '__Secure-rotor-refresh '],
  ['a tab before =', '__Secure-rotor-refresh\t'],
  ['leading whitespace', '  __Secure-rotor-refresh'],
  ['lower case', '__secure-rotor-refresh'],
  ['upper case', '__SECURE-ROTOR-REFRESH'],
  ['the __Host- prefix', '__Host-rotor-refresh'],
  ['no prefix', 'rotor-refresh'],
  ['a percent-encoded name', '__Secure-rotor%2Drefresh'],
]

/** Runs the attack and checks that neither the victim's nor the attacker's session moved. */
async function expectBothIntact(attack: () => Promise<CallResult>, refusal = conflict) {
  const before = await Promise.all([
    snapshot(scene.victim.user.id),
    snapshot(scene.attacker.user.id),
  ])
  const result = await attack()
  expect(failure(result)).toEqual(refusal)
  expect(result.headers.get('set-cookie')).toBeNull()
  await expectIntact(t, scene.victim, before[0])
  await expectIntact(t, scene.attacker, before[1])
  return result
}

describe('a planted refresh cookie beside the victim’s', () => {
  test.each(variants)('named with %s, before or after, refreshes nobody', async (_, name) => {
    for (const order of ['planted first', 'planted last']) {
      const cookie =
        order === 'planted first'
          ? `${planted(name)}; ${scene.victim.cookie}`
          : `${scene.victim.cookie}; ${planted(name)}`
      const result = await expectBothIntact(() =>
        t.call('auth.refresh', {}, { headers: { origin: ALLOWED_ORIGIN, cookie } }),
      )
      expect(result.body.error.message).toMatch(/refresh cookie.*more than once/i)
    }
  })

  test('a whitespace variant signs nobody out', async () => {
    const cookie = `${planted('__Secure-rotor-refresh ')}; ${scene.victim.cookie}`
    await expectBothIntact(() =>
      t.call('auth.logout', {}, { headers: { origin: ALLOWED_ORIGIN, cookie } }),
    )
  })

  test('a whitespace variant at a cookie sign-in ends no session and sets no cookie', async () => {
    const cookie = `${planted('__Secure-rotor-refresh\t')}; ${scene.victim.cookie}`
    await expectBothIntact(() =>
      t.call(
        'auth.login',
        { ...scene.victim.user, delivery: 'cookie' },
        { headers: { origin: ALLOWED_ORIGIN, cookie } },
      ),
    )
  })

  test('cookies that only look alike are not the refresh cookie', async () => {
    const cookie = `x__Secure-rotor-refresh=a; __Secure-rotor-refreshx=b; ${scene.victim.cookie}`
    const result = await t.call('auth.refresh', {}, { headers: { origin: ALLOWED_ORIGIN, cookie } })
    expect(result.status).toBe(200)
    acceptCookiePair(scene.victim, result)
  })
})
