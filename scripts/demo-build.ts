import { writeDemoScriptOrExit } from './lib/demo-script.ts'

// `npm run demo:build`: bundles the demo page's script (demo/ and client/) into the gitignored
// worker/demo/script-bundle.js. wrangler runs it first ([build] in wrangler.toml), for dev and
// deploy alike; vitest.config.ts and the bench run it before they load the worker.
await writeDemoScriptOrExit()
