/** One challenge of a `WWW-Authenticate` header: its scheme (lower case) and its parameters. */
export type AuthChallenge = {
  scheme: string
  /** Parameter names in lower case; `undefined` when one was given twice (ambiguous: refuse it). */
  params: ReadonlyMap<string, string> | undefined
}

/** Longer headers are not parsed: no challenge Rotor reads comes near it. */
export const MAX_CHALLENGE_HEADER_LENGTH = 8192

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y
const TOKEN68 = /[A-Za-z0-9._~+/-]+=*/y
const OWS = /[ \t]*/y
// qdtext and quoted-pair (RFC 9110 §5.6.4): no control character but a tab.
const QUOTED = /"((?:[\t\x20\x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t\x20-\x7e\x80-\xff])*)"/y

/**
 * The challenges of a `WWW-Authenticate` value (RFC 9110 §11.6.1: a comma list of `scheme
 * [token68 | #auth-param]`, values a token or a quoted string), or `undefined` when the value is
 * not well formed or too long: a hostile header yields nothing rather than a guess.
 */
export function parseChallenges(header: string | null | undefined): AuthChallenge[] | undefined {
  if (typeof header !== 'string' || header.length > MAX_CHALLENGE_HEADER_LENGTH) return undefined
  const scanner = createScanner(header)
  const challenges: AuthChallenge[] = []
  scanner.skipSeparators()
  while (!scanner.done()) {
    const scheme = scanner.match(TOKEN)
    if (scheme === undefined) return undefined
    const params = new Map<string, string>()
    let duplicated = false
    // Whether the comma after this challenge was read already, as the end of its last parameter.
    let separated = false
    scanner.skip(OWS)
    if (scanner.token68()) scanner.match(TOKEN68)
    else
      for (;;) {
        const start = scanner.position()
        const name = scanner.match(TOKEN)
        scanner.skip(OWS)
        if (name === undefined || !scanner.take('=')) {
          // Not a parameter: the next challenge's scheme, or nothing.
          scanner.rewind(start)
          break
        }
        scanner.skip(OWS)
        const value = scanner.quoted() ?? scanner.match(TOKEN)
        if (value === undefined) return undefined
        const key = name.toLowerCase()
        if (params.has(key)) duplicated = true
        params.set(key, value)
        scanner.skip(OWS)
        separated = scanner.take(',')
        if (!separated) break
        scanner.skipSeparators()
      }
    challenges.push({ scheme: scheme.toLowerCase(), params: duplicated ? undefined : params })
    scanner.skip(OWS)
    if (scanner.done()) break
    if (!separated && !scanner.take(',')) return undefined
    scanner.skipSeparators()
  }
  return challenges
}

function createScanner(text: string) {
  let at = 0
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at
    const found = pattern.exec(text)
    if (!found) return undefined
    at = pattern.lastIndex
    return found[0]
  }
  return {
    done: () => at >= text.length,
    position: () => at,
    rewind: (to: number) => void (at = to),
    match,
    skip: (pattern: RegExp) => void match(pattern),
    take(char: string) {
      if (text[at] !== char) return false
      at++
      return true
    },
    /** Commas and whitespace between list members (RFC 9110 §5.6.1 allows empty members). */
    skipSeparators() {
      while (at < text.length && (text[at] === ',' || text[at] === ' ' || text[at] === '\t')) at++
    },
    quoted(): string | undefined {
      QUOTED.lastIndex = at
      const found = QUOTED.exec(text)
      if (!found) return undefined
      at = QUOTED.lastIndex
      return found[1]!.replace(/\\(.)/g, '$1')
    },
    /** Whether a token68 starts here: one that ends its challenge, unlike `name=value`. */
    token68() {
      TOKEN68.lastIndex = at
      if (!TOKEN68.exec(text)) return false
      OWS.lastIndex = TOKEN68.lastIndex
      OWS.exec(text)
      const next = text[OWS.lastIndex]
      return next === undefined || next === ','
    },
  }
}
