/** The demo page's stylesheet, served from the worker: the CSP allows no inline style. */
export const DEMO_STYLES = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { margin-bottom: 0.25rem; }
header p { margin-top: 0; color: GrayText; }
#status { font-weight: 600; }
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
#log { font-family: ui-monospace, monospace; font-size: 0.85rem; padding-left: 1.5rem; }
#log time { color: GrayText; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
`
