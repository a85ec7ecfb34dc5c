import { byId, element } from './dom.ts'
import { formatInstant, formatRemaining } from './format.ts'
import type { RotorClient, SessionSnapshot } from '../client/index.ts'

// From the client's own types, as any app would: the page knows the issuer only through client/.
export type SessionRow = Awaited<ReturnType<RotorClient['sessions']['list']['query']>>[number]

/** Epoch seconds by the issuer's clock; `undefined` while unknown. */
export type Deadlines = { access?: number; idle?: number; absolute?: number }

const MAX_LOG_ENTRIES = 50

export function showSignedIn(snapshot: SessionSnapshot): void {
  byId('signed-out').hidden = true
  byId('signed-in').hidden = false
  const status = byId('status')
  status.textContent = `Signed in as ${snapshot.user.email}.`
  status.className = ''
  renderAssurance(snapshot.assurance)
}

/** How the session was signed in, as its access token says (`amr`, `acr`, `auth_time`). */
function renderAssurance({ amr, acr, authTime }: SessionSnapshot['assurance']): void {
  const methods = byId('assurance-amr')
  methods.textContent = amr.length > 0 ? amr.join(', ') : 'not stated'
  methods.setAttribute('data-amr', amr.join(' '))
  byId('assurance-acr').textContent = acr ?? 'not stated'
  const time = byId('assurance-auth-time')
  if (authTime === undefined) time.textContent = 'not stated'
  else {
    const iso = new Date(authTime * 1000).toISOString()
    time.replaceChildren(element('time', formatInstant(authTime), { datetime: iso }))
    time.setAttribute('data-auth-time', String(authTime))
  }
}

/** `notice`: the session ended by itself or elsewhere, not by a click here; it stands out. */
export function showSignedOut(message: string, options: { notice?: boolean } = {}): void {
  byId('signed-in').hidden = true
  byId('signed-out').hidden = false
  byId('sessions-body').replaceChildren()
  const status = byId('status')
  status.textContent = message
  status.className = options.notice ? 'notice' : ''
}

export function showFormError(message: string): void {
  byId('form-error').textContent = message
}

/**
 * One row per live session; its button signs that device out (a lost device), named for it: this
 * device, or the other device's name.
 */
export function renderSessions(rows: SessionRow[], onRevoke: (row: SessionRow) => void): void {
  byId('sessions-body').replaceChildren(
    ...rows.map((row) => {
      const tr = element('tr', '', { 'data-session-id': row.id })
      const device = element('td', deviceLabel(row), { 'data-label': 'Device' })
      if (row.current) device.append(' ', element('strong', '(this device)'))
      const revoke = element('button', revokeLabel(row), { type: 'button' })
      revoke.addEventListener('click', () => onRevoke(row))
      const action = element('td')
      action.append(revoke)
      tr.append(
        device,
        timeCell('Signed in', row.createdAt),
        timeCell('Last used', row.lastUsedAt),
        action,
      )
      return tr
    }),
  )
}

/** The name a session goes by: the device name given at sign-in, else its browser. */
export function deviceLabel(row: SessionRow): string {
  return row.deviceName ?? shortAgent(row.userAgent)
}

/** What the row's button says: "Sign out this device", or "Sign out <that device>". */
export function revokeLabel(row: SessionRow): string {
  return row.current ? 'Sign out this device' : `Sign out ${deviceLabel(row)}`
}

/** Seconds left until each deadline, by `nowSeconds` (the issuer's clock). */
export function renderCountdowns(nowSeconds: number, deadlines: Deadlines): void {
  countdown('access-countdown', nowSeconds, deadlines.access, 'expired: the next call refreshes it')
  countdown('idle-countdown', nowSeconds, deadlines.idle, 'passed')
  countdown('absolute-countdown', nowSeconds, deadlines.absolute, 'passed')
}

/** Appends a line to the event log, dropping the oldest past a few dozen. */
export function logEvent(text: string): void {
  const log = byId('log')
  const at = new Date()
  const entry = element('li')
  entry.append(element('time', at.toLocaleTimeString(), { datetime: at.toISOString() }), ` ${text}`)
  log.append(entry)
  while (log.childElementCount > MAX_LOG_ENTRIES) log.firstElementChild?.remove()
}

function countdown(id: string, now: number, deadline: number | undefined, past: string): void {
  const cell = byId(id)
  if (deadline === undefined) {
    cell.textContent = '–'
    return
  }
  // For tests and tools: the deadline itself, not only the text that counts down to it.
  cell.setAttribute('data-deadline', String(deadline))
  cell.setAttribute('title', formatInstant(deadline))
  cell.textContent = deadline > now ? formatRemaining(deadline - now) : past
}

function timeCell(label: string, epochSeconds: number): ReturnType<typeof element> {
  // The label heads the cell when the table is stacked into cards on a narrow screen.
  const cell = element('td', '', { 'data-label': label })
  const iso = new Date(epochSeconds * 1000).toISOString()
  cell.append(element('time', formatInstant(epochSeconds), { datetime: iso }))
  return cell
}

function shortAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unnamed device'
  const browser = /(Firefox|Edg|Chrome|Chromium|Safari)\/[\d.]+/.exec(userAgent)?.[0]
  return browser ?? userAgent.slice(0, 40)
}
