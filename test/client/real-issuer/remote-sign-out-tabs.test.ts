import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createWorld } from './world.ts'
import type { Browser, Device, World } from './world.ts'

let world: World
beforeEach(async () => {
  world = await createWorld()
})
afterEach(() => world.close())

/** Two open tabs of one browser, signed in through the first; the second took its token. */
async function twoTabs(browser: Browser = world.browser()) {
  const b = world.device({ browser })
  const a = await world.signedIn({ browser })
  expect(b.rotor.getSession()).toEqual(a.rotor.getSession())
  return { browser, a, b, tabs: [a, b] }
}

const requestsOf = (devices: Device[]) => devices.flatMap((device) => device.requests)
const clear = (devices: Device[]) => devices.forEach((device) => (device.requests.length = 0))

describe('tabs of one browser returning to the foreground', () => {
  test('one check between them, whose answer every tab takes', async () => {
    const { tabs } = await twoTabs()
    clear(tabs)
    world.advance(31)
    for (const tab of tabs) tab.lifecycle.show()
    await world.settle()
    expect(requestsOf(tabs)).toEqual([['auth.me']])

    // The other tab counts that answer too: 29 s on, neither asks.
    world.advance(29)
    for (const tab of tabs) tab.lifecycle.show()
    await world.settle()
    expect(requestsOf(tabs)).toEqual([['auth.me']])
    expect(tabs.map((tab) => tab.signedOut)).toEqual([[], []])
  })

  test('signed out everywhere meanwhile: one check, one event in each tab', async () => {
    const { tabs } = await twoTabs()
    const phone = await world.signedIn()
    world.advance(31)
    await phone.rotor.logoutAll()
    clear(tabs)

    for (const tab of tabs) tab.lifecycle.show()
    await world.settle()
    expect(requestsOf(tabs)).toEqual([['auth.me']])
    expect(tabs.map((tab) => tab.signedOut)).toEqual([['SESSION_REVOKED'], ['SESSION_REVOKED']])
    expect(tabs.map((tab) => tab.rotor.getSession())).toEqual([null, null])
  })
})

describe('refresh-token reuse, detected on return to the foreground', () => {
  test('the tabs whose cookie was replayed learn REFRESH_TOKEN_REUSED; the thief is out', async () => {
    const { browser, a, b, tabs } = await twoTabs()
    // A copy of the browser's refresh cookie, refreshed first by whoever stole it.
    const stolen = world.browser()
    for (const [name, value] of browser.cookies) stolen.cookies.set(name, value)
    const thief = world.device({ browser: stolen })
    expect(await thief.rotor.getAccessToken()).not.toBeNull()
    for (const device of [a, b, thief]) device.lifecycle.hide()
    // Past the grace window and the tabs' refresh point (ACCESS_TOKEN_TTL 900 s, margin 60 s).
    world.advance(850)
    await world.settle()
    clear(tabs)

    a.lifecycle.show()
    await world.settle()
    // The spent cookie's refresh is the check, and its answer reaches the hidden tab too.
    expect(requestsOf(tabs)).toEqual([['auth.refresh']])
    expect(tabs.map((tab) => tab.signedOut)).toEqual([
      ['REFRESH_TOKEN_REUSED'],
      ['REFRESH_TOKEN_REUSED'],
    ])

    thief.lifecycle.show()
    await world.settle()
    expect(thief.signedOut).toEqual(['SESSION_REVOKED'])
  })
})
