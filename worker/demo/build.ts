import { writeFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { renderScriptModule, SCRIPT_MODULE_PATH } from './bundle-script.ts'

// `npx node worker/demo/build.ts` (Node 22, which strips types): rebuilds the demo page's script after a change to the page's
// script or to client/. The test in test/e2e/browser/ says when that is due.
const source = await renderScriptModule()
await writeFile(SCRIPT_MODULE_PATH, source)
console.log(`wrote ${relative(process.cwd(), SCRIPT_MODULE_PATH)} (${source.length} bytes)`)
