import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { bundleDemoScript, DemoBuildError } from '../../scripts/lib/demo-script.ts'

describe('the demo page script build', () => {
  test('bundles demo/ and client/ into one module that imports nothing', async () => {
    const script = await bundleDemoScript()
    expect(script.length).toBeGreaterThan(1000)
    // One file under a self-only CSP: no import of another module, no CDN.
    expect(script).not.toMatch(/\bimport\s*[{*"'(]|\bfrom\s*["']/)
    // The client's cookie-mode calls are in it, proof that client/ was bundled in.
    expect(script).toContain('/trpc')
  })

  test('a source that does not bundle is a DemoBuildError naming the file and the cause', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rotor-demo-'))
    try {
      const entry = join(dir, 'main.ts')
      await writeFile(entry, "import { gone } from './missing.ts'\ngone()\n")
      const failure = bundleDemoScript(entry)
      await expect(failure).rejects.toThrow(DemoBuildError)
      await expect(failure).rejects.toThrow(/main\.ts.*Could not resolve "\.\/missing\.ts"/s)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
