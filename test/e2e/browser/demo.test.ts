import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { bundleDemoScript } from '../../../scripts/lib/demo-script.ts'
import { useWranglerDev } from '../helpers/wrangler-dev.ts'
import { launchChromium } from './chromium.ts'
import type { Page } from 'playwright-core'
import type { Chromium } from './chromium.ts'

const PASSWORD = 'correct horse battery staple'
const ACCESS_TOKEN_TTL = 4
const artifacts = fileURLToPath(new URL('../../../test-results/', import.meta.url))

describe('the demo page in Chromium, in two tabs', () => {
  // The page's origin must be allowed to use the refresh cookie; no leeway, so expiry is exact.
  const devServer = useWranglerDev((url) => ({
    DEMO: 'on',
    ALLOWED_ORIGINS: url,
    ISSUER: url,
    ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL),
    CLOCK_SKEW_LEEWAY: '0',
  }))
  let browser: Chromium | undefined
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(() => browser?.close())

  test('serves the bundle of demo/ and client/ as they are now', async () => {
    const response = await fetch(`${devServer().url}/demo/demo.js`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await response.text()).toBe(await bundleDemoScript())
  })

  test('tabs share one refresh, keep the refresh cookie from scripts, and sign out together', async () => {
    const dev = devServer()
    const { context } = browser!
    const problems: string[] = []
    const refreshes: string[] = []
    context.on('request', (request) => {
      if (new URL(request.url()).pathname === '/trpc/auth.refresh') refreshes.push(request.url())
    })

    const first = context.pages()[0] ?? (await context.newPage())
    watchForProblems(first, problems)
    const response = await first.goto(`${dev.url}/demo`)
    const csp = response?.headers()['content-security-policy'] ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    await first.getByRole('status').filter({ hasText: 'Not signed in.' }).waitFor()

    await first.getByLabel('Email').fill('two-tabs@example.com')
    await first.getByLabel('Password').fill(PASSWORD)
    await first.getByLabel(/Device name/).fill('Chromium under test')
    await first.getByRole('button', { name: 'Sign up' }).click()
    await first.locator('#sessions-body tr').first().waitFor()

    // A new tab has no access token: it refreshes through the cookie and tells the first tab.
    const second = await context.newPage()
    watchForProblems(second, problems)
    await second.goto(`${dev.url}/demo`)
    await second.locator('#sessions-body tr').first().waitFor()
    await expect.poll(() => deadlineIn(second)).toBeGreaterThan(0)
    const shared = await deadlineIn(second)
    await expect.poll(() => deadlineIn(first)).toBe(shared)

    refreshes.length = 0
    for (const page of [first, second]) {
      await page.locator('#access-countdown', { hasText: 'expired' }).waitFor({
        timeout: (ACCESS_TOKEN_TTL + 2) * 1000,
      })
    }
    const [firstList, secondList] = await Promise.all([
      sessionsListed(first),
      sessionsListed(second),
      first.getByRole('button', { name: 'Reload sessions' }).click(),
      second.getByRole('button', { name: 'Reload sessions' }).click(),
    ])
    expect([firstList.status(), secondList.status()]).toEqual([200, 200])
    expect(refreshes).toHaveLength(1)
    // The page shows the new deadline at its next tick (every 500 ms).
    await expect.poll(() => deadlineIn(first)).toBeGreaterThan(shared)
    await expect.poll(() => deadlineIn(second)).toBe(await deadlineIn(first))

    // The cookie is scoped to /trpc, so it is listed for that path only.
    const cookies = await context.cookies(`${dev.url}/trpc/auth.refresh`)
    const refreshCookie = cookies.find((cookie) => cookie.name === '__Secure-rotor-refresh')
    expect(refreshCookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' })
    for (const page of [first, second]) {
      // A string: the test's types are the Workers', which have no `document`.
      expect(await page.evaluate('document.cookie')).not.toContain('rotor')
    }
    await mkdir(artifacts, { recursive: true })
    await first.screenshot({ path: `${artifacts}demo-signed-in.png`, fullPage: true })

    await first.getByRole('button', { name: 'Sign out', exact: true }).click()
    for (const page of [first, second]) {
      await page.getByRole('status').filter({ hasText: 'Signed out' }).waitFor()
      await page.getByRole('button', { name: 'Sign in' }).waitFor()
    }
    await second.screenshot({
      path: `${artifacts}demo-signed-out-by-other-tab.png`,
      fullPage: true,
    })
    expect(problems).toEqual([])
  })
})

/** Uncaught errors and CSP violations: the page must run under its own policy without either. */
function watchForProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text())
  })
}

/** The access token's expiry the page counts down to, epoch seconds. */
async function deadlineIn(page: Page): Promise<number> {
  return Number(await page.locator('#access-countdown').getAttribute('data-deadline'))
}

function sessionsListed(page: Page) {
  return page.waitForResponse((response) => response.url().includes('/trpc/sessions.list'))
}
