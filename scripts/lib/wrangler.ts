import { join } from 'node:path'

/**
 * The project's wrangler CLI entry. Scripts run it with this very Node (`process.execPath`, Node
 * 22), not whichever `node` its shebang would find on PATH.
 */
export function wranglerEntry(root: string): string {
  return join(root, 'node_modules', '.bin', 'wrangler')
}

/**
 * The environment wrangler runs in: no metrics sent; with `noPrompt`, `CI` set so it never asks
 * for confirmation on a TTY (it does even for `--local` migrations).
 */
export function wranglerEnv(options: { noPrompt?: boolean } = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    ...(options.noPrompt ? { CI: 'true' } : {}),
  }
}
