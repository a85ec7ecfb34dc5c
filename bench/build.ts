import { build } from 'esbuild'
import { join } from 'node:path'
import { writeDemoScript } from '../scripts/lib/demo-script.ts'

export type Bundles = { issuer: string; resource: string }

/**
 * Bundles the bench issuer (the real app plus `/bench/*` routes) and the example resource worker
 * as wrangler would for workerd: ESM, `workerd`/`worker` export conditions, `cloudflare:` and
 * `node:` modules left to the runtime (`nodejs_compat`), `.wasm` files copied beside the bundle.
 */
export async function bundleWorkers(root: string, outdir: string): Promise<Bundles> {
  // The app imports the demo page's generated script, which wrangler's [build] would make first.
  await writeDemoScript()
  const bundles = {
    issuer: join(outdir, 'issuer.mjs'),
    resource: join(outdir, 'resource.mjs'),
  }
  await Promise.all([
    bundle(join(root, 'bench/bench-worker.ts'), bundles.issuer),
    bundle(join(root, 'examples/resource-worker/index.ts'), bundles.resource),
  ])
  return bundles
}

async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['workerd', 'worker', 'browser', 'module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    external: ['cloudflare:*', 'node:*'],
    // bcryptjs names Node's `crypto` bare; wasm stays a module of its own (wrangler's
    // CompiledWasm rule), since workerd refuses to compile wasm from bytes at run time.
    alias: { crypto: 'node:crypto' },
    loader: { '.wasm': 'copy' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  })
}
