import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const readmePath = fileURLToPath(new URL('../../../README.md', import.meta.url))

/**
 * The first fenced block in README.md after the line that contains `marker`: what a reader would
 * copy, so a test runs the documentation itself rather than a copy that could drift from it.
 */
export async function readmeBlock(marker: string, language = 'sh'): Promise<string> {
  const text = await readFile(readmePath, 'utf8')
  const at = text.indexOf(marker)
  if (at < 0) throw new Error(`README.md has no line with ${JSON.stringify(marker)}`)
  const fence = `\`\`\`${language}\n`
  const start = text.indexOf(fence, at)
  const end = text.indexOf('\n```', start + fence.length)
  if (start < 0 || end < 0) throw new Error(`README.md has no ${language} block after ${marker}`)
  return text.slice(start + fence.length, end + 1)
}
