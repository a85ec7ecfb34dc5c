import { byId, element } from './dom.ts'
import { errorText } from './error-text.ts'
import { formatInstant } from './format.ts'
import { qrCodeFrom } from './qr.ts'
import type { RotorClient, StepUpInput } from '../client/index.ts'

/** The second-factor panel of a signed-in page: `load` when a session starts, `reset` when it ends. */
export type SecondFactorPanel = { load(): Promise<void>; reset(): void }

/**
 * Adding an authenticator app (QR code, then a first code), its recovery codes shown once, and
 * step-up; through `rotor` as any app would call the issuer.
 */
export function setupSecondFactor(
  rotor: RotorClient,
  log: (text: string) => void,
): SecondFactorPanel {
  const say = (text: string) => void (byId('mfa-message').textContent = text)
  const run = (action: () => Promise<void>) =>
    void action().catch((error: unknown) => say(errorText(error)))

  const load = async () => {
    const status = await rotor.mfa.status.query()
    const text = byId('mfa-status')
    text.setAttribute('data-enrolled', String(status.enrolled))
    text.textContent =
      status.enrolled && status.confirmedAt !== null
        ? `An authenticator app is on since ${formatInstant(status.confirmedAt)}; ` +
          `${status.recoveryCodesLeft} recovery code(s) left. Signing in takes a code from now on.`
        : 'No second factor yet: a password alone signs in.'
    const enrolling = !byId('mfa-enrolment').hidden || !byId('mfa-recovery').hidden
    byId('mfa-enroll-form').hidden = status.enrolled || enrolling
    byId('mfa-step-up-form').hidden = !status.enrolled
  }

  byId('mfa-enroll-form').addEventListener('submit', (event) => {
    event.preventDefault()
    run(async () => {
      const password = byId('mfa-password')
      const { uri, qrSvg, secret } = await rotor.mfa.enrollTotp.mutate({ password: password.value })
      password.value = ''
      const qr = byId('mfa-qr')
      const code = qrCodeFrom(qrSvg)
      qr.replaceChildren(...(code ? [code] : ['The QR code could not be shown.']))
      qr.setAttribute('data-otpauth-uri', uri)
      byId('mfa-secret').textContent = secret
      byId('mfa-uri').textContent = uri
      byId('mfa-enroll-form').hidden = true
      byId('mfa-enrolment').hidden = false
      say('')
      log('Authenticator key created; it counts once a first code confirms it.')
    })
  })

  byId('mfa-confirm-form').addEventListener('submit', (event) => {
    event.preventDefault()
    run(async () => {
      const code = byId('mfa-confirm-code')
      const { recoveryCodes } = await rotor.mfa.confirmTotp.mutate({ code: code.value.trim() })
      code.value = ''
      // The key is never shown again, on this page or by the issuer.
      clearEnrolment()
      byId('mfa-recovery-codes').replaceChildren(
        ...recoveryCodes.map((recoveryCode) => element('li', recoveryCode)),
      )
      byId('mfa-recovery').hidden = false
      say('')
      log(`Authenticator app added; ${recoveryCodes.length} recovery codes shown this once.`)
      await load()
    })
  })

  byId('mfa-recovery-done').addEventListener('click', () => {
    byId('mfa-recovery-codes').replaceChildren()
    byId('mfa-recovery').hidden = true
    run(load)
  })

  byId('mfa-step-up-form').addEventListener('submit', (event) => {
    event.preventDefault()
    run(async () => {
      const input = byId('mfa-step-up-code')
      const stepped = await rotor.stepUp(secondFactorAnswer(input.value))
      input.value = ''
      say('')
      log(
        `Stepped up: signed in with ${stepped.assurance.amr.join(', ')} at ` +
          `${formatInstant(stepped.assurance.authTime ?? 0)}; ` +
          `${stepped.recoveryCodesLeft} recovery code(s) left.`,
      )
      await load()
    })
  })

  const clearEnrolment = () => {
    byId('mfa-enrolment').hidden = true
    byId('mfa-qr').replaceChildren()
    byId('mfa-qr').setAttribute('data-otpauth-uri', '')
    byId('mfa-secret').textContent = ''
    byId('mfa-uri').textContent = ''
  }

  return {
    load,
    reset() {
      clearEnrolment()
      byId('mfa-recovery-codes').replaceChildren()
      byId('mfa-recovery').hidden = true
      say('')
    },
  }
}

/** What was typed, as the issuer takes it: six digits are a TOTP code, anything else a recovery code. */
export function secondFactorAnswer(typed: string): StepUpInput {
  const value = typed.trim()
  return /^[0-9]{6}$/.test(value) ? { code: value } : { recoveryCode: value }
}
