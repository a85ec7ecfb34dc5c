import { defineConfig } from 'tsdown'
import type { TsdownPlugin } from 'tsdown'

/**
 * The routers' declarations name the issuer's tRPC context (the issuer: config, key ring, session
 * store). A client never sees it — `AppRouter` sets `ctx: object` — so the package's declarations
 * get an empty one, and the worker's internals stay out of what consumers type-check.
 */
const publicContext: TsdownPlugin = {
  name: 'rotor:public-context',
  load: {
    order: 'pre',
    filter: { id: /[\\/]worker[\\/]trpc[\\/]context\.d\.ts$/ },
    handler: () => 'export type Context = object\n',
  },
}

/** `rotor/client`, `rotor/verify` and `rotor/contract`: ESM and bundled `.d.ts` in `dist/`. */
export default defineConfig({
  entry: {
    client: 'client/index.ts',
    verify: 'verify/index.ts',
    contract: 'contract/index.ts',
  },
  format: 'esm',
  platform: 'neutral',
  tsconfig: 'tsconfig.build.json',
  dts: { tsconfig: 'tsconfig.build.json' },
  hash: false,
  // Only the worker, read for the router's declarations, imports Node built-ins and WebAssembly
  // modules (argon2id); none is bundled.
  deps: { neverBundle: [/^node:/, /\.wasm$/] },
  // Side-effect free (package.json says so): no bare `import "jose"` left where only types were used.
  inputOptions: { treeshake: { moduleSideEffects: false } },
  outputOptions: { chunkFileNames: 'chunks/[name].js' },
  plugins: [publicContext],
})
