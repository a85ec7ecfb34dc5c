import { describe, expect, test } from 'vitest'
import { callTrpc } from '../helpers/trpc.ts'
import { PASSWORD, screenshot, signUp, useDemo } from './demo-page.ts'
import type { Page } from 'playwright-core'

const NOTICE = 'Signed out: this session was revoked on another device'

describe('the demo page, signed out everywhere from another device while in the background', () => {
  // Default lifetimes (15 min tokens): no background refresh comes due during the test, so only
  // the client's foreground check can tell the page.
  const { devServer, context, newPage } = useDemo()

  /** A tab on /demo on a clock the test can move on (time flows meanwhile as usual). */
  async function openDemo(): Promise<Page> {
    const page = await newPage()
    await page.clock.install()
    await page.goto(`${devServer().url}/demo`)
    await page.getByRole('status').filter({ hasNotText: 'Checking' }).waitFor()
    return page
  }

  test('shown again, both tabs say so at once, with no click and one check', async () => {
    const dev = devServer()
    const email = 'away@example.com'
    const first = await openDemo()
    await signUp(first, email, 'Laptop')
    const second = await openDemo()
    await second
      .getByRole('status')
      .filter({ hasText: `Signed in as ${email}.` })
      .waitFor()
    const tabs = [first, second]
    for (const tab of tabs) await setVisibility(tab, 'hidden')

    const asked: string[] = []
    context().on('request', (request) => {
      const { pathname } = new URL(request.url())
      if (pathname.startsWith('/trpc/')) asked.push(pathname)
    })
    const phone = await callTrpc(dev.url, 'auth.login', {
      input: { email, password: PASSWORD, deviceName: 'Phone' },
    })
    const revoked = await callTrpc(dev.url, 'auth.logoutAll', {
      token: phone.body.result.data.accessToken,
      input: { keepCurrent: true },
    })
    expect(revoked.body.result.data).toEqual({ ok: true, revoked: 1 })

    // Half a minute in the background: the page's clock moves on, and nothing is asked.
    for (const tab of tabs) await tab.clock.fastForward(31_000)
    for (const tab of tabs)
      expect(await tab.getByRole('status').textContent()).toBe(`Signed in as ${email}.`)
    expect(asked).toEqual([])

    for (const tab of tabs) await setVisibility(tab, 'visible')
    for (const tab of tabs) {
      await tab.getByRole('status').filter({ hasText: NOTICE }).waitFor({ timeout: 5_000 })
      await tab.getByRole('button', { name: 'Sign in' }).waitFor()
    }
    // One tab asked the issuer (`auth.me`, one read); the other heard it over BroadcastChannel.
    expect(asked).toEqual(['/trpc/auth.me'])
    await screenshot(first, 'demo-signed-out-while-away')
    await Promise.all(tabs.map((tab) => tab.close()))
  })
})

/**
 * The page going to the background and back. Headless Chromium keeps every page visible whatever
 * happens to its window (minimised, another tab in front, CDP's lifecycle states), so the page's
 * `visibilityState` is set and `visibilitychange` fired as a browser does.
 */
async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  // A string: the test's types are the Workers', which have no `document`.
  await page.evaluate(`(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' })
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${state === 'hidden'} })
    document.dispatchEvent(new Event('visibilitychange'))
  })()`)
}
