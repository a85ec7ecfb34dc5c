import { when } from './legacy-inspect-verdict.ts'
import type { Inspection } from './legacy-inspect.ts'

const KIND = {
  rotor: 'Rotor access token',
  legacy: 'legacy token (any JWT not typed at+jwt)',
  unreadable: 'not a token Rotor can read',
} as const
const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf'])
const MAX_VALUE = 120

/**
 * An inspection as lines for a terminal. Shows the decoded header and claims (what any holder of
 * the token can read anyway) and never the signature; secrets never reach an inspection.
 */
export function formatInspection(inspection: Inspection, sources: string[], now: number): string[] {
  const nowSeconds = Math.floor(now / 1000)
  const lines = [`Token: ${KIND[inspection.kind]}`]
  if (inspection.header) lines.push('Header:', ...fields(inspection.header, nowSeconds))
  if (inspection.claims) lines.push('Claims:', ...fields(inspection.claims, nowSeconds))
  const verdict =
    inspection.verdict === 'accepted'
      ? 'ACCEPTED'
      : inspection.verdict === 'refused'
        ? `REFUSED (${inspection.reason})`
        : 'CANNOT TELL'
  lines.push(`Verdict: ${verdict}`, ...inspection.why.map((line) => `  - ${line}`))
  if (inspection.notes.length > 0) {
    lines.push('Notes:', ...inspection.notes.map((line) => `  - ${line}`))
  }
  lines.push(`Configuration: ${sources.length > 0 ? sources.join(', ') : 'defaults only'}`)
  return lines
}

function fields(record: Record<string, unknown>, nowSeconds: number): string[] {
  const width = Math.max(...Object.keys(record).map((name) => name.length))
  return Object.entries(record).map(([name, value]) => {
    const text = truncate(typeof value === 'string' ? value : JSON.stringify(value))
    if (!TIME_CLAIMS.has(name) || !Number.isFinite(value)) return `  ${name.padEnd(width)}  ${text}`
    const { at, relative } = when(value as number, nowSeconds)
    return `  ${name.padEnd(width)}  ${text}  (${at}, ${relative})`
  })
}

function truncate(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}… (${text.length} chars)` : text
}
