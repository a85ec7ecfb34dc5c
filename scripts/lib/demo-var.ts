/**
 * `wrangler dev` arguments that turn the demo page on (`--var DEMO:on`, appended so no positional
 * follows it into the list), unless the user chose: a `--var DEMO:…` among `args`, in either form
 * yargs accepts, or a DEMO in the vars file wrangler reads (`.dev.vars` or `--env-file`).
 */
export function withDemoOn(
  args: readonly string[],
  fileVars: Readonly<Record<string, string | undefined>>,
): string[] {
  return withDevDefault(args, fileVars, 'DEMO', 'on')
}

/** The same for any var: `--var NAME:value` appended unless `args` or the vars file set NAME. */
export function withDevDefault(
  args: readonly string[],
  fileVars: Readonly<Record<string, string | undefined>>,
  name: string,
  value: string,
): string[] {
  const chosen =
    fileVars[name] !== undefined ||
    args.some((arg) => arg.startsWith(`${name}:`) || arg.startsWith(`--var=${name}:`))
  return chosen ? [...args] : [...args, '--var', `${name}:${value}`]
}
