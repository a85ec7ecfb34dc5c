import { RotorError } from '../../contract/index.ts'
import { NO_PASSWORD } from '../passwords/hash-format.ts'
import { needsRehash } from '../passwords/password-hash.ts'
import { MAX_IMPORT_LINES, createImportLineChecker } from './import-line.ts'
import type { Issuer } from '../issuer.ts'
import type { ImportUser } from '../store/session-store.ts'
import type { RequestInfo } from './request-info.ts'

export type ImportSummary = { imported: number; updated: number; skipped: number; refused: number }
/** A refused line: its 1-based number in the body, the id when it could be read, and why. */
export type ImportRefusal = { line: number; id?: string; reason: string }
export type ImportReport = { summary: ImportSummary; refused: ImportRefusal[] }

/**
 * Imports the users of a JSONL body (README, "Importing users"): every line is checked first,
 * then the valid ones are written in batches. A refused line imports nothing; the others do.
 */
export async function importUsers(
  issuer: Issuer,
  body: string,
  info: RequestInfo,
): Promise<ImportReport> {
  const lines = body.split('\n')
  if (lines.filter((line) => line.trim() !== '').length > MAX_IMPORT_LINES) {
    throw new RotorError(
      'INVALID_INPUT',
      `An import call takes at most ${MAX_IMPORT_LINES} lines; send the file in parts (npm run users:import does)`,
    )
  }
  const checker = createImportLineChecker(issuer.now())
  const refused: ImportRefusal[] = []
  const valid: { line: number; user: ImportUser }[] = []
  lines.forEach((text, index) => {
    const verdict = checker.check(text, index + 1)
    if (verdict.kind === 'user') valid.push({ line: index + 1, user: verdict.user })
    if (verdict.kind === 'refused')
      refused.push({ line: index + 1, ...idOf(verdict), reason: verdict.reason })
  })
  const outcomes = await issuer.store.importUsers(
    valid.map((entry) => entry.user),
    { keepsHash: isOwnHash, noPassword: NO_PASSWORD, audit: { at: issuer.now(), ...info } },
  )
  const summary: ImportSummary = { imported: 0, updated: 0, skipped: 0, refused: 0 }
  outcomes.forEach((result, index) => {
    const { line, user } = valid[index]!
    if (result.outcome === 'refused') refused.push({ line, id: user.id, reason: result.reason })
    else summary[result.outcome]++
  })
  refused.sort((a, b) => a.line - b.line)
  summary.refused = refused.length
  return { summary, refused }
}

/**
 * A hash in Rotor's current scheme was set here (registration, a password change, or the upgrade
 * at sign-in): an import never replaces it. Imported hashes and "no password" may be replaced.
 */
function isOwnHash(stored: string): boolean {
  return stored !== NO_PASSWORD && !needsRehash(stored)
}

function idOf(verdict: { id?: string }): { id?: string } {
  return verdict.id === undefined ? {} : { id: verdict.id }
}
