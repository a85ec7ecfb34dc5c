import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { bundleDemoScript } from '../../../scripts/lib/demo-script.ts'
import { callTrpc } from '../helpers/trpc.ts'
import { useWranglerDev } from '../helpers/wrangler-dev.ts'
import { launchChromium } from './chromium.ts'
import {
  PASSWORD,
  VIEWPORTS,
  deadlineIn,
  horizontalOverflow,
  screenshot,
  signUp,
  watchForProblems,
} from './demo-page.ts'
import type { Chromium } from './chromium.ts'

const ACCESS_TOKEN_TTL = 4

describe('the demo page in Chromium', () => {
  // The page's origin must be allowed to use the refresh cookie; no leeway, so expiry is exact.
  // Two failed sign-ins per account and minute, so the rate limit's message is quick to reach.
  const devServer = useWranglerDev((url) => ({
    DEMO: 'on',
    ALLOWED_ORIGINS: url,
    ISSUER: url,
    ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL),
    CLOCK_SKEW_LEEWAY: '0',
    RATE_LIMIT_LOGIN_ACCOUNT: '2/60',
  }))
  let browser: Chromium | undefined
  const problems: string[] = []
  beforeAll(async () => {
    browser = await launchChromium()
  })
  // Each test starts signed out, whatever the one before it left behind.
  beforeEach(() => browser?.context.clearCookies())
  afterAll(async () => {
    await browser?.close()
    expect(problems).toEqual([])
  })

  /** A new tab on /demo, watched for errors, once it knows whether a session lives. */
  async function openDemo(viewport: { width: number; height: number } = VIEWPORTS.desktop) {
    const page = await browser!.context.newPage()
    watchForProblems(page, problems)
    await page.setViewportSize(viewport)
    const response = await page.goto(`${devServer().url}/demo`)
    await page.getByRole('status').filter({ hasNotText: 'Checking' }).waitFor()
    return { page, response }
  }

  test('serves the bundle of demo/ and client/ as they are now', async () => {
    const response = await fetch(`${devServer().url}/demo/demo.js`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await response.text()).toBe(await bundleDemoScript())
  })

  test('two tabs refresh by themselves, one refresh between them, and sign out together', async () => {
    const dev = devServer()
    const { context } = browser!
    const refreshedAt: number[] = []
    context.on('request', (request) => {
      if (new URL(request.url()).pathname === '/trpc/auth.refresh') refreshedAt.push(Date.now())
    })

    const { page: first, response } = await openDemo()
    const csp = response?.headers()['content-security-policy'] ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    await first.getByRole('status').filter({ hasText: 'Not signed in.' }).waitFor()
    await signUp(first, 'two-tabs@example.com', 'Chromium under test')

    // A new tab has no access token: it refreshes through the cookie and tells the first tab.
    const { page: second } = await openDemo()
    await second.locator('#sessions-body tr').first().waitFor()
    await expect.poll(() => deadlineIn(second)).toBeGreaterThan(0)
    const shared = await deadlineIn(second)
    await expect.poll(() => deadlineIn(first)).toBe(shared)

    // No clicks from here: the tabs refresh in the background before each expiry.
    refreshedAt.length = 0
    const countdowns: string[] = []
    for (let i = 0; i < 3 * ACCESS_TOKEN_TTL * 4; i++) {
      for (const page of [first, second])
        countdowns.push((await page.locator('#access-countdown').textContent()) ?? '')
      await first.waitForTimeout(250)
    }
    expect(countdowns.filter((text) => text.includes('expired'))).toEqual([])
    await expect.poll(() => deadlineIn(first)).toBeGreaterThan(shared + ACCESS_TOKEN_TTL)
    await expect.poll(() => deadlineIn(second)).toBe(await deadlineIn(first))
    // One refresh a rotation (about every half lifetime, 1-2 s by whole-second `iat`) for both
    // tabs: two tabs refreshing the same token would be milliseconds apart.
    expect(refreshedAt.length).toBeGreaterThanOrEqual(3)
    const gaps = refreshedAt.slice(1).map((at, i) => at - refreshedAt[i]!)
    expect(Math.min(...gaps)).toBeGreaterThan(500)

    // The timeline draws the tokens this page held: the current one and the ones before it.
    const timeline = first.getByRole('img', { name: /Session timeline/ })
    await expect
      .poll(async () => Number(await timeline.getAttribute('data-tokens')))
      .toBeGreaterThan(3)
    expect(await timeline.getAttribute('aria-label')).toMatch(/idle deadline in 6 d 23 h/)
    expect(await first.locator('#timeline .token.current').count()).toBe(1)
    expect(await first.locator('#timeline .marker.sign-in').count()).toBeLessThanOrEqual(1)
    expect(
      await first.locator('#timeline .marker.this-tab, #timeline .marker.other-tab').count(),
    ).toBeGreaterThan(1)

    // The cookie is scoped to /trpc, so it is listed for that path only.
    const cookies = await context.cookies(`${dev.url}/trpc/auth.refresh`)
    const refreshCookie = cookies.find((cookie) => cookie.name === '__Secure-rotor-refresh')
    expect(refreshCookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' })
    for (const page of [first, second]) {
      // A string: the test's types are the Workers', which have no `document`.
      expect(await page.evaluate('document.cookie')).not.toContain('rotor')
    }
    await screenshot(first, 'demo-signed-in')

    await first.getByRole('button', { name: 'Sign out', exact: true }).click()
    for (const page of [first, second]) {
      await page.getByRole('status').filter({ hasText: 'Signed out' }).waitFor()
      await page.getByRole('button', { name: 'Sign in' }).waitFor()
    }
    await screenshot(second, 'demo-signed-out-by-other-tab')
    await Promise.all([first.close(), second.close()])
  })

  test('fits a phone and a laptop; names each device, asks before signing one out', async () => {
    const dev = devServer()
    const { page } = await openDemo(VIEWPORTS.phone)
    expect(await horizontalOverflow(page)).toBe(0)
    const email = 'phone@example.com'
    await signUp(page, email, 'Phone on the train')
    const other = await signInElsewhere(dev.url, email, 'A-very-long-device-name-without-spaces')
    await page.getByRole('button', { name: 'Reload sessions' }).click()
    await page.locator('#sessions-body tr').nth(1).waitFor()
    const thisDevice = page.getByRole('button', { name: 'Sign out this device' })
    const otherDevice = page.getByRole('button', { name: `Sign out ${other.deviceName}` })
    expect(await thisDevice.count()).toBe(1)
    expect(await otherDevice.count()).toBe(1)

    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport)
      await page.waitForTimeout(600) // a tick redraws the timeline at the new width
      expect({ name, overflow: await horizontalOverflow(page) }).toEqual({ name, overflow: 0 })
      await screenshot(page, `demo-sessions-${name}`)
    }

    // Asked first: Cancel keeps the other device signed in; confirming signs it out.
    await otherDevice.click()
    const dialog = page.getByRole('dialog', { name: /Sign out A-very-long/ })
    await dialog.waitFor()
    await screenshot(page, 'demo-confirm')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(
      (await callTrpc(dev.url, 'auth.me', { token: other.accessToken, query: true })).status,
    ).toBe(200)
    await otherDevice.click()
    await dialog.getByRole('button', { name: `Sign out ${other.deviceName}` }).click()
    await expect.poll(() => page.locator('#sessions-body tr').count()).toBe(1)
    expect(
      (await callTrpc(dev.url, 'auth.me', { token: other.accessToken, query: true })).status,
    ).toBe(401)

    // "Sign out everywhere" asks too; Escape is a no.
    await page.getByRole('button', { name: 'Sign out everywhere' }).click()
    await page.getByRole('dialog', { name: /this device included/ }).waitFor()
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'hidden' })
    expect(await page.getByRole('status').textContent()).toBe(`Signed in as ${email}.`)

    // The server's words, not a vaguer paraphrase: wrong passwords, then its rate limit.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    const alert = page.getByRole('alert')
    const messages: string[] = []
    while (messages.length < 4 && !/Too many/.test(messages.at(-1) ?? '')) {
      await page.getByLabel('Email').fill(email)
      await page.getByLabel('Password').fill('not the password at all')
      const answered = page.waitForResponse((r) => r.url().includes('/trpc/auth.login'))
      await page.getByRole('button', { name: 'Sign in' }).click()
      await answered
      // The form clears its message when it sends, and shows the answer's once it arrives.
      await expect.poll(() => alert.textContent()).not.toBe('')
      messages.push((await alert.textContent()) ?? '')
    }
    expect(messages[0]).toBe('Email or password is incorrect')
    expect(messages.at(-1)).toMatch(/^Too many attempts; try again in \d+ s$/)
    await page.close()
  })

  test('a session revoked from another device shows as signed out, with no click', async () => {
    const dev = devServer()
    const { page } = await openDemo(VIEWPORTS.phone)
    const email = 'revoked@example.com'
    await signUp(page, email, 'Laptop')
    const other = await signInElsewhere(dev.url, email, 'Phone')
    const listed = await callTrpc(dev.url, 'sessions.list', {
      token: other.accessToken,
      query: true,
    })
    const laptop = (listed.body.result.data as { id: string; current: boolean }[]).find(
      (s) => !s.current,
    )!
    const revoked = await callTrpc(dev.url, 'sessions.revoke', {
      token: other.accessToken,
      input: { sessionId: laptop.id },
    })
    expect(revoked.status).toBe(200)
    await page
      .getByRole('status')
      .filter({ hasText: 'Signed out: this session was revoked' })
      .waitFor({ timeout: (ACCESS_TOKEN_TTL + 2) * 1000 })
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    await screenshot(page, 'demo-revoked-elsewhere')
    await page.close()
  })
})

/** Another device: a plain HTTP sign-in with body delivery, as a phone app would make it. */
async function signInElsewhere(url: string, email: string, deviceName: string) {
  const login = await callTrpc(url, 'auth.login', {
    input: { email, password: PASSWORD, deviceName },
  })
  expect(login.status).toBe(200)
  return { deviceName, accessToken: login.body.result.data.accessToken as string }
}
