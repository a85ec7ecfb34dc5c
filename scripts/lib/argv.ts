/**
 * The last value of a long option in either form yargs accepts (`--name value`, `--name=value`),
 * so a wrapper reads the same value wrangler will.
 */
export function optionValue(args: readonly string[], name: string): string | undefined {
  let value: string | undefined
  args.forEach((arg, index) => {
    if (arg === name) value = args[index + 1]
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1)
  })
  return value
}
