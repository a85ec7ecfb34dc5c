import { fileURLToPath } from 'node:url'
import { USAGE, parseImportArgs, resolveImportTarget } from './lib/users-import-args.ts'
import { runImport } from './lib/users-import-run.ts'

// `npm run users:import -- <file.jsonl> [--remote]`: bring existing users with their ids and
// password hashes (issue 13). Prints line numbers and reasons, never a line or a hash.

const root = fileURLToPath(new URL('..', import.meta.url))
const argv = process.argv.slice(2)

if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE)
} else {
  try {
    const args = parseImportArgs(argv)
    const target = args.check ? undefined : await resolveImportTarget(root, args, process.env)
    const started = Date.now()
    const run = await runImport(args.file, target, {
      check: args.check,
      progress: (sent, users, s) => {
        if (users <= 1000) return
        console.error(
          `users:import: ${sent}/${users} users sent (imported ${s.imported}, updated ${s.updated}, skipped ${s.skipped})`,
        )
      },
    })
    for (const refusal of run.refused) {
      const id = refusal.id === undefined ? '' : ` (id ${refusal.id})`
      console.log(`line ${refusal.line}${id}: ${refusal.reason}`)
    }
    const { imported, updated, skipped, refused } = run.summary
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    console.log(
      args.check
        ? `checked: ${run.users} users to import, ${refused} lines refused`
        : `imported ${imported}, updated ${updated}, skipped ${skipped}, refused ${refused} (${seconds} s)`,
    )
    process.exitCode = refused > 0 ? 1 : 0
  } catch (error) {
    console.error(`users:import: ${(error as Error).message}`)
    if (error instanceof RangeError) console.error(`\n${USAGE}`)
    process.exitCode = error instanceof RangeError ? 2 : 1
  }
}
