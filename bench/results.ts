import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import type { BenchArgs } from './args.ts'
import type { FeedReport } from './feed.ts'
import type { Report } from './report.ts'

export type RunMeta = {
  date: string
  commit: string
  /** Uncommitted changes in the measured code when the bench ran. */
  dirty: boolean
  node: string
  cpus: number
  /** 1, 5 and 15 minute load averages: other work on the machine, the main source of noise. */
  loadavg: { before: number[]; after: number[] }
  seconds: number
  args: BenchArgs
}

/** Writes `bench/results/<timestamp>.json` (gitignored), for comparing commits; returns its path. */
export async function writeResults(
  root: string,
  report: Report & { feed: FeedReport },
  run: { args: BenchArgs; loadBefore: number[]; seconds: number },
): Promise<{ path: string; meta: RunMeta }> {
  const git = (argv: string[]) => {
    try {
      return execFileSync('git', argv, { cwd: root, encoding: 'utf8' }).trim()
    } catch {
      return ''
    }
  }
  const meta: RunMeta = {
    date: new Date().toISOString(),
    commit: git(['rev-parse', 'HEAD']),
    dirty: git(['status', '--porcelain', '--', 'worker', 'bench', 'examples', 'db']) !== '',
    node: process.version,
    cpus: cpus().length,
    loadavg: { before: run.loadBefore, after: loadavg() },
    seconds: run.seconds,
    args: run.args,
  }
  const dir = join(root, 'bench/results')
  const path = join(dir, `${meta.date.replaceAll(':', '-')}.json`)
  await mkdir(dir, { recursive: true })
  await writeFile(path, JSON.stringify({ meta, ...report }, null, 2) + '\n')
  return { path, meta }
}
