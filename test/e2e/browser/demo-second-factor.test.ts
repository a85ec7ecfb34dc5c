import { generateHOTP } from '@oslojs/otp'
import { describe, expect, test } from 'vitest'
import { TOTP_PERIOD } from '../../../contract/index.ts'
import { PASSWORD, screenshot, signUp, useDemo } from './demo-page.ts'
import type { Page } from 'playwright-core'

/** What an authenticator app shows for `uri`'s secret, `steps` time steps from now. */
function totpCode(uri: string, steps = 0): string {
  const secret = base32Bytes(new URL(uri).searchParams.get('secret')!)
  const step = Math.floor(Date.now() / 1000 / TOTP_PERIOD) + steps
  return generateHOTP(secret, BigInt(step), 6)
}

/** RFC 4648 base32, unpadded, as the otpauth URI carries the secret. */
function base32Bytes(text: string): Uint8Array {
  const bits = [...text].map((c) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c).toString(2))
  const all = bits.map((b) => b.padStart(5, '0')).join('')
  return Uint8Array.from(all.match(/.{8}/g) ?? [], (byte) => parseInt(byte, 2))
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await page.getByRole('button', { name: 'Sign in' }).waitFor()
}

describe('the demo page: a second factor, in Chromium', () => {
  const { devServer, newPage } = useDemo()

  test('enrol with the QR code, sign in with a code, then with a recovery code', async () => {
    const page = await newPage()
    await page.goto(`${devServer().url}/demo`)
    await page.getByRole('status').filter({ hasText: 'Not signed in.' }).waitFor()
    const email = 'second-factor@example.com'
    await signUp(page, email, 'Chromium with an authenticator')
    const methods = page.locator('#assurance-amr')
    await expect.poll(() => methods.getAttribute('data-amr')).toBe('pwd')
    await page.locator('#mfa-status').filter({ hasText: 'No second factor yet' }).waitFor()

    // Enrol: the QR code is drawn, the otpauth URI beside it names the secret.
    await page.getByLabel(/Your passphrase, to add an authenticator app/).fill(PASSWORD)
    await page.getByRole('button', { name: 'Add an authenticator app' }).click()
    const qr = page.getByLabel('QR code of the authenticator key')
    await qr.locator('svg path').waitFor()
    const uri = (await qr.getAttribute('data-otpauth-uri')) ?? ''
    expect(uri).toMatch(/^otpauth:\/\/totp\/.+secret=[A-Z2-7]+/)
    expect(await page.locator('#mfa-secret').textContent()).toBe(
      new URL(uri).searchParams.get('secret'),
    )
    await screenshot(page, 'demo-mfa-enrol')
    await page.getByLabel('Code from the app').fill(totpCode(uri))
    await page.getByRole('button', { name: 'Confirm' }).click()

    // The recovery codes, shown this once; the key is gone from the page.
    const codes = page.locator('#mfa-recovery-codes li')
    await expect.poll(() => codes.count()).toBe(10)
    const recoveryCodes = await codes.allTextContents()
    expect(await page.locator('#mfa-secret').textContent()).toBe('')
    expect(await qr.locator('svg').count()).toBe(0)
    await screenshot(page, 'demo-mfa-recovery-codes')
    await page.getByRole('button', { name: 'I have saved them' }).click()
    await expect.poll(() => codes.count()).toBe(0)
    await page.locator('#mfa-status').filter({ hasText: '10 recovery code(s) left' }).waitFor()

    // Signed out and in again: the password, then the app's code (the next step's, since the
    // one that confirmed the factor is spent; one step of drift takes it).
    await signOut(page)
    await signIn(page, email)
    await page.getByLabel('Code or recovery code').fill(totpCode(uri, 1))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Signed in as ${email}.` })
      .waitFor()
    await expect.poll(() => methods.getAttribute('data-amr')).toBe('pwd otp mfa')
    expect(await page.locator('#assurance-acr').textContent()).toBe('urn:rotor:aal2')
    const authTime = Number(
      await page.locator('#assurance-auth-time').getAttribute('data-auth-time'),
    )
    expect(Math.abs(authTime - Date.now() / 1000)).toBeLessThan(60)
    await screenshot(page, 'demo-mfa-signed-in')

    // A wrong code is refused in words; a recovery code signs in and says how many are left.
    await signOut(page)
    await signIn(page, email)
    const codeField = page.getByLabel('Code or recovery code')
    await codeField.fill('abcd-efgh-ijkl-mnop')
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).not.toBe('')
    await codeField.fill(recoveryCodes[0]!)
    await page.getByRole('button', { name: 'Verify' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Signed in as ${email}.` })
      .waitFor()
    await page.locator('#log li').filter({ hasText: 'with a recovery code (9 left)' }).waitFor()
    await expect.poll(() => methods.getAttribute('data-amr')).toBe('pwd otp mfa')
    await page.close()
  })
})
