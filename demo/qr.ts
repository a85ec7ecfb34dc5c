import { svgElement } from './dom.ts'
import type { DemoElement } from './dom.ts'

/** What the page reads of a parsed SVG document. */
type ParsedElement = {
  readonly tagName: string
  getAttribute(name: string): string | null
  readonly children: ArrayLike<ParsedElement>
}
type Parser = new () => {
  parseFromString(text: string, type: string): { documentElement: ParsedElement }
}

// A QR code is a white square and black modules: nothing else of the markup is rebuilt.
const ALLOWED: Record<string, readonly string[]> = {
  svg: ['viewBox'],
  rect: ['x', 'y', 'width', 'height', 'fill'],
  path: ['d', 'fill'],
}

/**
 * The issuer's QR code (an SVG document) rebuilt element by element from an allow-list of tags
 * and attributes, never inserted as markup: no script, link or style of it can reach the page.
 * `undefined` when it is not such an SVG.
 */
export function qrCodeFrom(markup: string): DemoElement | undefined {
  const DOMParser = (globalThis as unknown as { DOMParser: Parser }).DOMParser
  const root = new DOMParser().parseFromString(markup, 'image/svg+xml').documentElement
  if (root.tagName !== 'svg') return undefined
  return rebuild(root)
}

function rebuild(parsed: ParsedElement): DemoElement | undefined {
  const allowed = ALLOWED[parsed.tagName]
  if (!allowed) return undefined
  const attributes: Record<string, string> = {}
  for (const name of allowed) {
    const value = parsed.getAttribute(name)
    if (value !== null) attributes[name] = value
  }
  const rebuilt = svgElement(parsed.tagName, attributes)
  for (const child of Array.from(parsed.children)) {
    const element = rebuild(child)
    if (element) rebuilt.append(element)
  }
  return rebuilt
}
