import { byId, svgElement } from './dom.ts'
import { formatInstant, formatRemaining } from './format.ts'
import type { DemoElement } from './dom.ts'

/** One access token the page held: when it arrived and how it came. Epoch seconds, issuer clock. */
export type TimelineToken = {
  issuedAt: number
  expiresAt: number
  origin: 'sign-in' | 'this-tab' | 'other-tab'
}

export type TimelineState = {
  now: number
  /** Oldest first; the last one is current. */
  tokens: TimelineToken[]
  idle: number | undefined
  absolute: number | undefined
}

const HEIGHT = 128
const SIDE = 8
// Two rows, alternating: a refresh overlaps the token before it, which must stay visible.
const BAR = { y: 18, height: 11, gap: 2 }
const MARKER_Y = 51
const AXIS_Y = 108
// Seen in access-token lifetimes: enough past to show refreshes, a little future to show the next.
const PAST = 2.5
const FUTURE = 1.5

/**
 * Draws the session as it runs: the access tokens' lifetimes as bars, each refresh as a dot, the
 * moment now, and the idle and absolute deadlines (marked in place when they are near, otherwise
 * named with the time left). Redrawn on every tick, in the SVG's own pixels so text stays legible.
 */
export function renderTimeline(state: TimelineState | undefined): void {
  const svg = byId('timeline')
  const current = state?.tokens.at(-1)
  if (!state || !current) {
    svg.replaceChildren()
    svg.setAttribute('aria-label', 'Session timeline: no session.')
    return
  }
  const width = Math.max(280, Math.round(svg.clientWidth) || 600)
  const lifetime = Math.max(1, current.expiresAt - current.issuedAt)
  const start = state.now - PAST * lifetime
  const end = state.now + FUTURE * lifetime
  const x = (t: number) => SIDE + ((t - start) / (end - start)) * (width - 2 * SIDE)
  const clamp = (t: number) => x(Math.min(end, Math.max(start, t)))

  const shapes: DemoElement[] = [
    svgElement('text', { x: SIDE, y: 12, class: 'lane-label' }, 'Access tokens'),
  ]
  for (const [index, token] of state.tokens.entries()) {
    if (token.expiresAt < start) continue
    const live = token === current
    const bar = svgElement('rect', {
      x: clamp(token.issuedAt),
      y: BAR.y + (index % 2) * (BAR.height + BAR.gap),
      width: Math.max(1, clamp(token.expiresAt) - clamp(token.issuedAt)),
      height: BAR.height,
      rx: 3,
      class: live ? 'token current' : 'token',
      'data-expires-at': token.expiresAt,
    })
    bar.append(
      svgElement(
        'title',
        {},
        `Valid ${formatInstant(token.issuedAt)} to ${formatInstant(token.expiresAt)}`,
      ),
    )
    shapes.push(bar)
    if (token.issuedAt >= start) shapes.push(marker(x(token.issuedAt), token.origin))
  }
  shapes.push(...deadlines(state, x, start, end, width))
  shapes.push(
    svgElement('line', { x1: SIDE, x2: width - SIDE, y1: AXIS_Y, y2: AXIS_Y, class: 'axis' }),
    svgElement('line', { x1: x(state.now), x2: x(state.now), y1: 8, y2: AXIS_Y, class: 'now' }),
    svgElement('text', { x: x(state.now), y: AXIS_Y + 14, class: 'tick middle' }, 'now'),
    svgElement(
      'text',
      { x: SIDE, y: AXIS_Y + 14, class: 'tick' },
      `−${formatRemaining(state.now - start)}`,
    ),
    svgElement(
      'text',
      { x: width - SIDE, y: AXIS_Y + 14, class: 'tick end' },
      `+${formatRemaining(end - state.now)}`,
    ),
  )
  svg.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`)
  svg.setAttribute('data-tokens', String(state.tokens.length))
  svg.setAttribute('aria-label', describe(state, current))
  svg.replaceChildren(...shapes)
}

/** A sign-in is a square, a refresh a dot: filled by this tab, ringed when another tab's. */
function marker(cx: number, origin: TimelineToken['origin']): DemoElement {
  const attributes = { class: `marker ${origin}` }
  if (origin !== 'sign-in') return svgElement('circle', { ...attributes, cx, cy: MARKER_Y, r: 4 })
  return svgElement('rect', { ...attributes, x: cx - 4, y: MARKER_Y - 4, width: 8, height: 8 })
}

/** A deadline inside the window is a dashed line; one beyond it, a line of text at the right. */
function deadlines(
  state: TimelineState,
  x: (t: number) => number,
  start: number,
  end: number,
  width: number,
): DemoElement[] {
  const drawn: DemoElement[] = []
  let row = 0
  for (const [name, at] of [
    ['idle', state.idle],
    ['absolute', state.absolute],
  ] as const) {
    if (at === undefined) continue
    if (at >= start && at <= end) {
      drawn.push(
        svgElement('line', { x1: x(at), x2: x(at), y1: 8, y2: AXIS_Y, class: `deadline ${name}` }),
        svgElement(
          'text',
          { x: x(at) - 3, y: 70 + 14 * row++, class: 'tick end' },
          `${name} deadline`,
        ),
      )
    } else if (at > end) {
      const text = `${name} deadline in ${formatRemaining(at - state.now)} →`
      drawn.push(
        svgElement(
          'text',
          { x: width - SIDE, y: 76 + 14 * row++, class: `tick end ${name}` },
          text,
        ),
      )
    }
  }
  return drawn
}

function describe(state: TimelineState, current: TimelineToken): string {
  const refreshes = state.tokens.filter((token) => token.origin !== 'sign-in').length
  const parts = [
    `Session timeline: ${state.tokens.length} access token(s) on this page, ${refreshes} refresh(es)`,
    `the current token expires in ${formatRemaining(current.expiresAt - state.now)}`,
  ]
  if (state.idle !== undefined)
    parts.push(`idle deadline in ${formatRemaining(state.idle - state.now)}`)
  if (state.absolute !== undefined)
    parts.push(`absolute deadline in ${formatRemaining(state.absolute - state.now)}`)
  return `${parts.join('; ')}.`
}
