import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import {
  USAGE,
  formatLegacyReport,
  parseLegacyReportArgs,
  parseWranglerReport,
  wranglerReportArgs,
} from './lib/legacy-report.ts'
import { wranglerEntry, wranglerEnv } from './lib/wrangler.ts'

// `npm run legacy:report [-- --remote]`: who still sends legacy tokens (DESIGN §8, issue 5).
// Reads only counters: the usage table holds no token, and neither does this output.

const root = fileURLToPath(new URL('..', import.meta.url))
const argv = process.argv.slice(2)

if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE)
} else {
  try {
    const args = parseLegacyReportArgs(argv, Date.now())
    const result = spawnSync(process.execPath, [wranglerEntry(root), ...wranglerReportArgs(args)], {
      cwd: root,
      encoding: 'utf8',
      env: wranglerEnv({ noPrompt: true }),
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    })
    const report = parseWranglerReport(result.stdout)
    for (const line of formatLegacyReport(report, args)) console.log(line)
  } catch (error) {
    console.error(`legacy:report: ${(error as Error).message}`)
    if (error instanceof RangeError) console.error(`\n${USAGE}`)
    process.exitCode = error instanceof RangeError ? 2 : 1
  }
}
