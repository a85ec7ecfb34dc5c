import { byId, element, pageOrigin } from './dom.ts'
import { errorText } from './error-text.ts'
import type { RotorClient } from '../client/index.ts'

type OutboxMessage = { at: number; subject: string; text: string }

/**
 * The "forgot password" and "verify email" flows: ask for a code, read it from the development
 * outbox (`GET /demo/outbox`, served only under `npm run dev`), type it back.
 */
export function setupRecovery(rotor: RotorClient, log: (text: string) => void): void {
  const email = () => byId('recovery-email').value.trim()
  const say = (text: string) => void (byId('recovery-message').textContent = text)
  const run = (action: () => Promise<string>) =>
    void action().then(say, (error: unknown) => say(errorText(error)))

  byId('recovery-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const verify = event.submitter?.value === 'verify'
    run(async () => {
      const since = Math.floor(rotor.serverNow() / 1000)
      if (verify) await rotor.requestEmailVerification(email())
      else await rotor.requestPasswordReset(email())
      log(`Asked for a ${verify ? 'verification' : 'reset'} code for ${email()}.`)
      await showOutbox(email(), since)
      return 'If the address has an account, a code is on its way.'
    })
  })
  byId('recovery-reset').addEventListener('click', () =>
    run(async () => {
      const newPassword = byId('recovery-new')
      const { revoked } = await rotor.resetPassword({
        email: email(),
        code: byId('recovery-code').value.trim(),
        newPassword: newPassword.value,
      })
      newPassword.value = ''
      log(`Password reset: ${revoked} session(s) signed out.`)
      return 'Password changed: sign in with the new one.'
    }),
  )
  byId('recovery-verify').addEventListener('click', () =>
    run(async () => {
      await rotor.verifyEmail({ email: email(), code: byId('recovery-code').value.trim() })
      log(`Verified ${email()}.`)
      return 'Address verified.'
    }),
  )
}

/**
 * The outbox's newest messages to `to` once one is from `since` (epoch seconds) on: the send runs
 * after the answer, so it polls briefly.
 */
async function showOutbox(to: string, since: number): Promise<void> {
  const list = byId('outbox')
  for (let attempt = 0; attempt < 10; attempt++) {
    const response = await fetch(`${pageOrigin()}/demo/outbox?to=${encodeURIComponent(to)}`)
    if (response.status === 404) {
      list.replaceChildren(element('li', 'No development outbox here: codes go out by mail.'))
      return
    }
    const { messages } = (await response.json()) as { messages: OutboxMessage[] }
    const newest = messages[0]
    if (newest && newest.at >= since) {
      list.replaceChildren(
        ...messages.slice(0, 3).map((m) => element('li', `${m.subject}: ${m.text.trim()}`)),
      )
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
  list.replaceChildren(element('li', 'Nothing in the outbox for that address.'))
}
