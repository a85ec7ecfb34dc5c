import { createRotorClient, isMfaRequired } from '../client/index.ts'
import { cancelConfirm, confirmAction } from './confirm.ts'
import { byId, pageOrigin } from './dom.ts'
import { errorText } from './error-text.ts'
import { describeSignOut, formatInstant, formatRemaining } from './format.ts'
import { setupRecovery } from './recovery.ts'
import { setupSecondFactor } from './second-factor.ts'
import { setupSecondStep } from './second-step.ts'
import { renderTimeline } from './timeline.ts'
import {
  deviceLabel,
  logEvent,
  renderCountdowns,
  renderSessions,
  showFormError,
  showSignedIn,
  showSignedOut,
} from './view.ts'
import type { SecondFactorResult, SessionSnapshot } from '../client/index.ts'
import type { TimelineToken } from './timeline.ts'
import type { SessionRow } from './view.ts'

// The issuer serves this page, so its tRPC endpoint is on the same origin: the refresh cookie
// (SameSite=Strict, Path=/trpc) goes along, and nothing but this page's own code runs here.
// A session ended on another device shows by itself: at the next background refresh, and when
// the page is shown again (the client asks the issuer if its last word is over 30 s old).
const rotor = createRotorClient({ url: `${pageOrigin()}/trpc`, delivery: 'cookie' })
let signedIn = false
// This page is revoking its own session from the list: its SESSION_REVOKED is no news from afar.
let revokingHere = false
let absoluteDeadline: number | undefined
// The tokens this page has held, for the timeline; a few lifetimes' worth is all it shows.
let tokens: TimelineToken[] = []

rotor.onRefresh((event) => {
  const source = event.origin === 'this-tab' ? 'refreshed by this tab' : 'received from another tab'
  logEvent(`New access token, ${source}; valid until ${formatInstant(event.accessTokenExpiresAt)}.`)
  noteToken(event, event.origin)
  enter(event)
})
rotor.onSignedOut((reason) => {
  signedIn = false
  absoluteDeadline = undefined
  tokens = []
  cancelConfirm()
  const why = describeSignOut(reason, revokingHere)
  revokingHere = false
  logEvent(`Signed out (${reason}): ${why}.`)
  secondFactor.reset()
  showSignedOut(`Signed out: ${why}.`, { notice: reason !== 'LOGOUT' })
})
rotor.onSessionExpiring(({ secondsLeft }) =>
  logEvent(`The session ends in ${formatRemaining(secondsLeft)}; then sign in again.`),
)
rotor.onClockSkew(({ offsetSeconds }) =>
  logEvent(
    `This device's clock is ${offsetSeconds} s off the issuer's; countdowns use the issuer's.`,
  ),
)

byId('auth-form').addEventListener('submit', (event) => {
  event.preventDefault()
  void submit(event.submitter?.value === 'sign-up')
})
byId('sign-out').addEventListener('click', () => void act(() => rotor.logout()))
byId('sign-out-everywhere').addEventListener('click', () =>
  act(async () => {
    const count = byId('sessions-body').childElementCount
    const question = `Sign out all ${count} session(s), this device included? Each device must sign in again.`
    if (!(await confirmAction(question, 'Sign out everywhere'))) return
    const { revoked } = await rotor.logoutAll()
    logEvent(`Signed out everywhere: ${revoked} session(s) ended.`)
  }),
)
setupRecovery(rotor, logEvent)
const secondFactor = setupSecondFactor(rotor, logEvent)
const secondStep = setupSecondStep(rotor, { signedIn: signedInNow, showError: showFormError })
byId('reload-sessions').addEventListener('click', () => void act(loadSessions))
setInterval(tick, 500)
void start()

/** A new page asks for an access token: in cookie mode that refresh says whether a session lives. */
async function start(): Promise<void> {
  try {
    const token = await rotor.getAccessToken()
    const session = rotor.getSession()
    if (token !== null && session) {
      if (tokens.length === 0) noteToken(session, 'this-tab')
      enter(session)
    } else showSignedOut('Not signed in.')
  } catch (error) {
    showSignedOut(`The issuer did not answer (${errorText(error)}). Reload to try again.`)
  }
}

async function submit(signUp: boolean): Promise<void> {
  const email = byId('email').value.trim()
  const password = byId('password')
  const deviceName = byId('device-name').value.trim()
  showFormError('')
  try {
    if (signUp) {
      await rotor.auth.register.mutate({ email, password: password.value })
      logEvent(`Registered ${email}.`)
    }
    const result = await rotor.login({
      email,
      password: password.value,
      ...(deviceName ? { deviceName } : {}),
    })
    password.value = ''
    if (isMfaRequired(result)) {
      logEvent('Password accepted; the account asks for its second factor.')
      secondStep.ask(result.mfaRequired)
    } else signedInNow(result)
  } catch (error) {
    showFormError(errorText(error))
  }
}

function signedInNow(session: SecondFactorResult): void {
  const left = session.recoveryCodesLeft
  const how = left === undefined ? '' : ` with a recovery code (${left} left)`
  logEvent(
    `Signed in${how}; access token valid until ${formatInstant(session.accessTokenExpiresAt)}.`,
  )
  tokens = []
  noteToken(session, 'sign-in')
  enter(session)
}

function enter(session: SessionSnapshot): void {
  showSignedIn(session)
  if (signedIn) return
  signedIn = true
  secondStep.cancel()
  void act(loadSessions)
  void act(secondFactor.load)
}

async function loadSessions(): Promise<void> {
  const rows = await rotor.sessions.list.query()
  absoluteDeadline = rows.find((row) => row.current)?.absoluteExpiresAt
  renderSessions(rows, (row) => void act(() => revoke(row)))
  const updated = byId('sessions-updated')
  updated.textContent = `Updated ${new Date().toLocaleTimeString()}.`
  updated.setAttribute('data-updated-at', String(Date.now()))
}

function noteToken(session: SessionSnapshot, origin: TimelineToken['origin']): void {
  // The snapshot carries no `iat`: the token is as old as its arrival, by the issuer's clock.
  const issuedAt = Math.floor(rotor.serverNow() / 1000)
  tokens = [...tokens, { issuedAt, expiresAt: session.accessTokenExpiresAt, origin }].slice(-20)
}

async function revoke(row: SessionRow): Promise<void> {
  const name = row.current ? 'this device' : deviceLabel(row)
  const consequence = row.current
    ? 'This page will show the sign-in form.'
    : 'Its next call fails and it shows its sign-in form.'
  if (!(await confirmAction(`Sign out ${name}? ${consequence}`, `Sign out ${name}`))) return
  revokingHere = row.current
  await rotor.sessions.revoke.mutate({ sessionId: row.id })
  logEvent(`Signed out ${name}.`)
  // Revoking this very session shows here as SESSION_REVOKED on the next call.
  await loadSessions()
}

/** Runs a button's action; a failure that ended the session was already reported as a sign-out. */
async function act(action: () => Promise<void>): Promise<void> {
  try {
    await action()
  } catch (error) {
    if (rotor.getSession() !== null) logEvent(`That failed: ${errorText(error)}.`)
  }
}

function tick(): void {
  const session = rotor.getSession()
  // The issuer's clock, not the device's: a device an hour off still counts down correctly.
  const now = rotor.serverNow() / 1000
  renderCountdowns(now, {
    access: session?.accessTokenExpiresAt,
    idle: session?.refreshTokenExpiresAt,
    absolute: session ? absoluteDeadline : undefined,
  })
  renderTimeline(
    session
      ? { now, tokens, idle: session.refreshTokenExpiresAt, absolute: absoluteDeadline }
      : undefined,
  )
}
