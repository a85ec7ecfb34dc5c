import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { MAX_IMPORT_LINES, createImportLineChecker } from '../../worker/sessions/import-line.ts'
import type {
  ImportRefusal,
  ImportReport,
  ImportSummary,
} from '../../worker/sessions/import-users.ts'
import type { ImportTarget } from './users-import-args.ts'

/** A request's body stays under the route's 1 MiB with room to spare. */
const MAX_CHUNK_BYTES = 900 * 1024

export type ImportRun = ImportReport & {
  /** Valid lines found by the local check (all of them were sent, unless `check`). */
  users: number
}

export type RunOptions = {
  /** Send nothing: only the local check. */
  check: boolean
  /** Told after each request, for a progress line. */
  progress?: (sent: number, users: number, summary: ImportSummary) => void
  now?: number
}

/**
 * Checks every line of `file` with the route's own validator (so duplicates across the whole
 * file are found), then streams the valid lines to the import route in parts. Line numbers in
 * the result are the file's.
 */
export async function runImport(
  file: string,
  target: ImportTarget | undefined,
  options: RunOptions,
): Promise<ImportRun> {
  const checker = createImportLineChecker(options.now ?? Date.now())
  const refused: ImportRefusal[] = []
  const refusedLines = new Set<number>()
  let users = 0
  for await (const { text, line } of lines(file)) {
    const verdict = checker.check(text, line)
    if (verdict.kind === 'user') users++
    if (verdict.kind !== 'refused') continue
    refusedLines.add(line)
    refused.push({
      line,
      ...(verdict.id === undefined ? {} : { id: verdict.id }),
      reason: verdict.reason,
    })
  }
  const summary: ImportSummary = { imported: 0, updated: 0, skipped: 0, refused: 0 }
  if (!options.check && target && users > 0) {
    let chunk: { text: string; line: number }[] = []
    let bytes = 0
    let sent = 0
    const flush = async () => {
      const report = await post(target, chunk.map((entry) => entry.text).join('\n'), sent, users)
      for (const refusal of report.refused)
        refused.push({ ...refusal, line: chunk[refusal.line - 1]!.line })
      summary.imported += report.summary.imported
      summary.updated += report.summary.updated
      summary.skipped += report.summary.skipped
      sent += chunk.length
      chunk = []
      bytes = 0
      options.progress?.(sent, users, summary)
    }
    for await (const entry of lines(file)) {
      if (refusedLines.has(entry.line) || entry.text.trim() === '') continue
      const size = Buffer.byteLength(entry.text) + 1
      if (chunk.length === MAX_IMPORT_LINES || bytes + size > MAX_CHUNK_BYTES) await flush()
      chunk.push(entry)
      bytes += size
    }
    if (chunk.length > 0) await flush()
  }
  refused.sort((a, b) => a.line - b.line)
  summary.refused = refused.length
  return { summary, refused, users }
}

/** The lines of a UTF-8 file, numbered from 1, read as a stream; a leading BOM is dropped. */
async function* lines(file: string): AsyncGenerator<{ text: string; line: number }> {
  const input = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  })
  let line = 0
  for await (const text of input) {
    line++
    yield { text: line === 1 ? text.replace(/^\uFEFF/, '') : text, line }
  }
}

async function post(
  target: ImportTarget,
  body: string,
  sent: number,
  users: number,
): Promise<ImportReport> {
  const failed = (why: string) =>
    new Error(
      `${why}. ${sent} of ${users} users were sent before it; ` +
        'the import is idempotent: run the same command again',
    )
  let response: Response
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-ndjson; charset=utf-8',
        authorization: `Bearer ${target.secret}`,
      },
      body,
      signal: AbortSignal.timeout(60_000),
    })
  } catch (error) {
    throw failed(`${target.url} did not answer (${(error as Error).message})`)
  }
  const answer = (await response.json().catch(() => undefined)) as
    (ImportReport & { error?: { message?: string } }) | undefined
  if (!response.ok || !answer?.summary) {
    const message = answer?.error?.message ?? 'no JSON answer'
    throw failed(`the issuer answered ${response.status}: ${message}`)
  }
  return answer
}
