import { byId } from './dom.ts'
import { errorText } from './error-text.ts'
import { secondFactorAnswer } from './second-factor.ts'
import type { MfaChallenge, RotorClient, SecondFactorResult } from '../client/index.ts'

/** The sign-in's second step: `ask` shows its form for a challenge, `cancel` the sign-in form again. */
export type SecondStep = { ask(challenge: MfaChallenge): void; cancel(): void }

/**
 * Shows the code form in place of the sign-in form while a sign-in awaits its second step; a
 * wrong code may be typed again, an expired or spent challenge means signing in again.
 */
export function setupSecondStep(
  rotor: RotorClient,
  options: { signedIn(session: SecondFactorResult): void; showError(text: string): void },
): SecondStep {
  let challenge: string | undefined
  const form = byId('mfa-step-form')
  const cancel = () => {
    challenge = undefined
    form.hidden = true
    byId('auth-form').hidden = false
    byId('mfa-step-code').value = ''
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    if (challenge === undefined) return
    void answer(challenge)
  })
  const answer = async (sent: string) => {
    const input = byId('mfa-step-code')
    try {
      const session = await rotor.verifyMfa({ challenge: sent, ...secondFactorAnswer(input.value) })
      cancel()
      options.showError('')
      options.signedIn(session)
    } catch (error) {
      input.value = ''
      options.showError(errorText(error))
    }
  }
  byId('mfa-step-cancel').addEventListener('click', () => {
    cancel()
    options.showError('')
  })

  return {
    ask(next) {
      challenge = next.challenge
      byId('auth-form').hidden = true
      form.hidden = false
      byId('mfa-step-code').focus()
    },
    cancel,
  }
}
