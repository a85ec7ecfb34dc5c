import { describe, expect, test } from 'vitest'
import { callTrpc } from '../helpers/trpc.ts'
import { PASSWORD, screenshot, useDemo } from './demo-page.ts'

const NEW_PASSWORD = 'a brand new passphrase'

describe('the demo page: forgot password, with the development outbox', () => {
  // No MAIL_TRANSPORT here: `npm run dev` turns the outbox on by itself.
  const { devServer, newPage } = useDemo()

  test('a reset code read from the outbox sets a new password, then sign-in works', async () => {
    const dev = devServer()
    const email = 'forgot@example.com'
    const registered = await callTrpc(dev.url, 'auth.register', {
      input: { email, password: PASSWORD },
    })
    expect(registered.status).toBe(200)

    const page = await newPage()
    await page.goto(`${dev.url}/demo`)
    await page.getByRole('status').filter({ hasText: 'Not signed in.' }).waitFor()
    await page.getByText('Forgot the password, or verify the address').click()
    await page.getByLabel('Account address').fill(email)
    await page.getByRole('button', { name: 'Send reset code' }).click()
    const mail = page.locator('#outbox li').filter({ hasText: 'Your password reset code' })
    await mail.first().waitFor()
    const code = /\b(\d{8})\b/.exec((await mail.first().textContent()) ?? '')?.[1]
    expect(code).toMatch(/^\d{8}$/)

    await page.getByLabel('Mailed code').fill(code!)
    await page.getByLabel(/New passphrase/).fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Set the new passphrase' }).click()
    await page.locator('#recovery-message').filter({ hasText: 'Password changed' }).waitFor()
    await screenshot(page, 'demo-password-reset')

    // The used code is refused, and says so.
    await page.getByLabel(/New passphrase/).fill('yet another passphrase')
    await page.getByRole('button', { name: 'Set the new passphrase' }).click()
    await page
      .locator('#recovery-message')
      .filter({ hasText: /wrong or no longer valid/ })
      .waitFor()

    const old = await callTrpc(dev.url, 'auth.login', { input: { email, password: PASSWORD } })
    expect(old.body.error.data.reason).toBe('INVALID_CREDENTIALS')
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('#sessions-body tr').first().waitFor()
    expect(await page.getByRole('status').textContent()).toBe(`Signed in as ${email}.`)
    await page.close()
  })
})
