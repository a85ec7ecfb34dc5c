// The root tsconfig type-checks this folder with the Workers types, which clash with lib.dom; so
// the page's script reaches the DOM through the small typed surface below, and nothing else.

/** The part of an HTML element the demo script touches. */
export type DemoElement = {
  textContent: string | null
  hidden: boolean
  disabled: boolean
  value: string
  className: string
  setAttribute(name: string, value: string): void
  append(...nodes: (DemoElement | string)[]): void
  prepend(...nodes: (DemoElement | string)[]): void
  replaceChildren(...nodes: (DemoElement | string)[]): void
  addEventListener(type: string, listener: (event: DemoEvent) => void): void
  focus(): void
  readonly clientWidth: number
  readonly childElementCount: number
  readonly firstElementChild: DemoElement | null
  remove(): void
}

export type DemoEvent = {
  preventDefault(): void
  /** On `submit`: the button that sent the form. */
  submitter?: { value?: string } | null
}

/** A `<dialog>`: shown modal, closed by a button or by Escape (which fires `close`). */
export type DemoDialog = DemoElement & { showModal(): void; close(): void; readonly open: boolean }

type DemoDocument = {
  getElementById(id: string): DemoElement | null
  createElement(tag: string): DemoElement
  createElementNS(namespace: string, tag: string): DemoElement
  location: { origin: string }
}

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg'

const doc = (globalThis as unknown as { document: DemoDocument }).document

/** The page's origin: the issuer serves the demo, so `/trpc` is on the same origin. */
export const pageOrigin = (): string => doc.location.origin

/** The element with this id; the page is rendered with every id present, so a miss is a bug. */
export function byId(id: string): DemoElement {
  const element = doc.getElementById(id)
  if (!element) throw new Error(`demo page: no element #${id}`)
  return element
}

/** A new element with text, a class and attributes. */
export function element(
  tag: string,
  text = '',
  attributes: Record<string, string> = {},
): DemoElement {
  const created = doc.createElement(tag)
  if (text) created.textContent = text
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value)
  return created
}

/** A new SVG element with attributes (presentation attributes, which the CSP allows). */
export function svgElement(
  tag: string,
  attributes: Record<string, string | number> = {},
  text = '',
): DemoElement {
  const created = doc.createElementNS(SVG_NAMESPACE, tag)
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, String(value))
  if (text) created.textContent = text
  return created
}
