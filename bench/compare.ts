import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compareRuns } from './compare-runs.ts'
import type { FigureChange, SavedRun } from './compare-runs.ts'

// `npm run bench:compare [-- <before.json> <after.json>]`: two runs of `npm run bench`, by default
// the two newest in bench/results/, figure by figure.

const dir = fileURLToPath(new URL('./results/', import.meta.url))
const given = process.argv.slice(2)
if (given.includes('--help') || (given.length !== 0 && given.length !== 2)) {
  console.log('npm run bench:compare [-- <before.json> <after.json>]  (default: the newest two)')
  process.exit(given.includes('--help') ? 0 : 2)
}
const paths = given.length === 2 ? given : await newestTwo()
const [before, after] = await Promise.all(paths.map(readRun))
const comparison = compareRuns(before!, after!)

const describe = (run: SavedRun, path: string) =>
  `${path} (commit ${run.meta.commit.slice(0, 7) || '?'}${run.meta.dirty ? ', uncommitted changes' : ''})`
console.log(`before: ${describe(before!, paths[0]!)}\nafter:  ${describe(after!, paths[1]!)}\n`)
const width = Math.max(...comparison.figures.map((f) => `${f.label} c${f.connections}`.length))
const header = ['figure'.padEnd(width), 'req/s before → after'.padStart(27)]
console.log(`${header.join(' ')}  ${'CPU/req before → after'.padStart(27)}`)
for (const figure of comparison.figures) console.log(formatFigure(figure, width))
console.log('\n* the min–max ranges of the two runs do not overlap: a change beyond the noise')
if (comparison.unmatched.length > 0) {
  console.log(`in one run only: ${comparison.unmatched.join(', ')}`)
}
for (const trip of comparison.roundTrips) {
  console.log(`D1 round trips, ${trip.operation}: ${trip.before} → ${trip.after}`)
}
for (const target of comparison.flipped) {
  const [from, to] = target.pass ? ['MISS', 'PASS'] : ['PASS', 'MISS']
  console.log(`${from} → ${to}  ${target.name}: ${target.before} → ${target.after}`)
}

function formatFigure(f: FigureChange, width: number): string {
  const int = (n: number) => Math.round(n).toLocaleString('en')
  const pct = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n * 100).toFixed(0)}%`.padStart(5)
  const rps = `${int(f.rps.before)} → ${int(f.rps.after)} ${pct(f.rps.change)}`
  const cpu = `${int(f.cpuUs.before)} → ${int(f.cpuUs.after)} µs ${pct(f.cpuUs.change)}`
  const label = `${f.label} c${f.connections}`
  return `${label.padEnd(width)} ${rps.padStart(27)}  ${cpu.padStart(27)}${f.beyondSpread ? ' *' : ''}`
}

async function newestTwo(): Promise<string[]> {
  const files = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.json')).sort()
  if (files.length < 2) {
    console.error('bench:compare: bench/results/ holds fewer than two runs; run `npm run bench`')
    process.exit(2)
  }
  return files.slice(-2).map((name) => join(dir, name))
}

async function readRun(path: string): Promise<SavedRun> {
  return JSON.parse(await readFile(path, 'utf8')) as SavedRun
}
