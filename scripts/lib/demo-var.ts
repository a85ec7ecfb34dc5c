/**
 * `wrangler dev` arguments that turn the demo page on (`--var DEMO:on`, appended so no positional
 * follows it into the list), unless the user chose: a `--var DEMO:…` among `args`, in either form
 * yargs accepts, or a DEMO in the vars file wrangler reads (`.dev.vars` or `--env-file`).
 */
export function withDemoOn(
  args: readonly string[],
  fileVars: Readonly<Record<string, string | undefined>>,
): string[] {
  const chosen = fileVars.DEMO !== undefined || args.some((arg) => /^(--var=)?DEMO:/.test(arg))
  return chosen ? [...args] : [...args, '--var', 'DEMO:on']
}
