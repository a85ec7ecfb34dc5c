import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { root } from './helpers/consumer-project.ts'

// The READMEs show these files whole, and package.test.ts runs and type-checks the same files
// against the packed package: one source for what the documentation promises.
const QUOTED = [
  ['README.md', 'examples/resource-worker/app.ts'],
  ['client/README.md', 'examples/client/browser.ts'],
  ['client/README.md', 'examples/client/cli.mjs'],
] as const

describe('the READMEs', () => {
  test.each(QUOTED)('%s quotes %s as it is', async (readme, example) => {
    const [text, source] = await Promise.all(
      [readme, example].map((file) => readFile(join(root, file), 'utf8')),
    )
    const language = example.endsWith('.mjs') ? 'js' : 'ts'
    expect(text).toContain(`\`\`\`${language}\n${source}\`\`\``)
  })
})
