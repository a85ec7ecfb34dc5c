import { readFile } from 'node:fs/promises'
import { describe, expect, test } from 'vitest'
import { renderScriptModule, SCRIPT_MODULE_PATH } from '../../../worker/demo/bundle-script.ts'

describe('the demo page script the worker serves', () => {
  test('is the current bundle of worker/demo/browser/ and client/', async () => {
    const committed = await readFile(SCRIPT_MODULE_PATH, 'utf8')
    const fresh = await renderScriptModule()
    // On failure: `npx node worker/demo/build.ts`, then commit worker/demo/script-bundle.ts.
    expect(committed === fresh, 'worker/demo/script-bundle.ts is stale').toBe(true)
  })
})
