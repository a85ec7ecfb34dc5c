/** The demo page's stylesheet, served from the worker: the CSP allows no inline style. */
export const DEMO_STYLES = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; overflow-wrap: anywhere; }
h1 { margin-bottom: 0.25rem; }
header p { margin-top: 0; color: GrayText; }
#status { font-weight: 600; }
#status.notice { border-inline-start: 4px solid light-dark(#b00020, #ff8a80); padding: 0.25rem 0.75rem; background: light-dark(#fdecee, #3a1a1d); }
/* The hidden attribute wins over the display of forms and the like below. */
[hidden] { display: none !important; }
form { display: grid; gap: 0.35rem; max-width: 24rem; }
label { margin-top: 0.5rem; }
input { font: inherit; padding: 0.4rem 0.5rem; }
.hint { color: GrayText; font-size: 0.9em; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.75rem 0; }
button { font: inherit; padding: 0.4rem 0.9rem; cursor: pointer; }
button:focus-visible, input:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
.error { color: light-dark(#b00020, #ff8a80); min-height: 1.5em; }
.countdowns { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
.countdowns dt { font-weight: 600; }
.countdowns dd { margin: 0; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid GrayText; }
td button { white-space: normal; text-align: left; }
.danger { color: light-dark(#b00020, #ff8a80); }
dialog { max-width: min(28rem, calc(100vw - 3rem)); border: 1px solid GrayText; border-radius: 0.5rem; }
dialog::backdrop { background: rgb(0 0 0 / 0.35); }
.timeline { margin: 1rem 0; }
.timeline figcaption { color: GrayText; font-size: 0.85rem; }
#timeline { display: block; width: 100%; height: 8rem; }
#timeline text { font-size: 12px; fill: currentColor; paint-order: stroke; stroke: Canvas; stroke-width: 4px; stroke-linejoin: round; }
#timeline .lane-label { font-weight: 600; }
#timeline .tick.middle { text-anchor: middle; }
#timeline .tick.end { text-anchor: end; }
#timeline .token { fill: light-dark(#c5d8f5, #2b4366); }
#timeline .token.current { fill: light-dark(#3a6fd8, #6f9ef0); }
#timeline .marker { fill: currentColor; stroke: currentColor; stroke-width: 1.5; }
#timeline .marker.other-tab { fill: Canvas; }
#timeline .axis { stroke: GrayText; }
#timeline .now { stroke: currentColor; stroke-width: 2; }
#timeline .deadline { stroke: light-dark(#b00020, #ff8a80); stroke-width: 1.5; stroke-dasharray: 4 3; }
/* Phones: the sessions table becomes one card per session, each cell headed by its column. */
@media (max-width: 36rem) {
  table, tbody, tr, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  tr { border-bottom: 1px solid GrayText; padding: 0.5rem 0; }
  td { border: 0; padding: 0.15rem 0; }
  td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  .countdowns { grid-template-columns: 1fr; }
  .countdowns dd { margin-bottom: 0.35rem; }
}
#assurance { margin-top: 0.5rem; }
.qr { margin: 0.5rem 0; width: 12rem; background: white; padding: 0.5rem; }
.qr svg { display: block; width: 100%; height: auto; }
.codes { font-family: ui-monospace, monospace; columns: 2; }
#mfa-uri { font-size: 0.85rem; }
#log { font-family: ui-monospace, monospace; font-size: 0.85rem; padding-left: 1.5rem; }
#log time { color: GrayText; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
`
