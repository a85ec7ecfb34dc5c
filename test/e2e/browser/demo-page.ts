import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect } from 'vitest'
import { useWranglerDev } from '../helpers/wrangler-dev.ts'
import { launchChromium } from './chromium.ts'
import type { BrowserContext, Page } from 'playwright-core'
import type { Chromium } from './chromium.ts'

export const PASSWORD = 'correct horse battery staple'

const artifacts = fileURLToPath(new URL('../../../test-results/', import.meta.url))

/** A phone (an iPhone 12–15's CSS viewport) and a laptop. */
export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const

/** Uncaught errors and CSP violations: the page must run under its own policy without either. */
export function watchForProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text())
  })
}

/** Signs up through the form (which then signs in) and waits for the sessions list. */
export async function signUp(page: Page, email: string, deviceName: string): Promise<void> {
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByLabel(/Device name/).fill(deviceName)
  await page.getByRole('button', { name: 'Sign up' }).click()
  await page.locator('#sessions-body tr').first().waitFor()
}

/** The access token's expiry the page counts down to, epoch seconds. */
export async function deadlineIn(page: Page): Promise<number> {
  return Number(await page.locator('#access-countdown').getAttribute('data-deadline'))
}

/** How far the page is wider than its viewport, in CSS pixels: 0 when nothing overflows. */
export async function horizontalOverflow(page: Page): Promise<number> {
  // A string: the test's types are the Workers', which have no `document`.
  return Number(
    await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    ),
  )
}

/** A full-page screenshot in `test-results/`, for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(artifacts, { recursive: true })
  await page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true })
}

export function sessionsListed(page: Page) {
  return page.waitForResponse((response) => response.url().includes('/trpc/sessions.list'))
}

/**
 * The demo on its own `npm run dev` (DEMO on, the page's origin allowed) and one Chromium for the
 * file. `newPage()` opens a tab whose console errors and failed requests are collected; the file
 * fails after its last test if there were any.
 */
export function useDemo() {
  const devServer = useWranglerDev((url) => ({ DEMO: 'on', ALLOWED_ORIGINS: url, ISSUER: url }))
  let browser: Chromium | undefined
  const problems: string[] = []
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    expect(problems).toEqual([])
  })
  return {
    devServer,
    context: (): BrowserContext => browser!.context,
    async newPage(): Promise<Page> {
      const page = await browser!.context.newPage()
      watchForProblems(page, problems)
      return page
    },
  }
}
