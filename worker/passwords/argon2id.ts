import setupWasm from 'argon2id/lib/setup.js'
import type { computeHash } from 'argon2id/lib/setup.js'
import simd from 'argon2id/dist/simd.wasm'
import noSimd from 'argon2id/dist/no-simd.wasm'

export type Argon2idParams = { memoryKiB: number; time: number; parallelism: number }

let loaded: Promise<computeHash> | undefined

/**
 * Argon2id (RFC 9106) in WebAssembly. workerd refuses to compile wasm from bytes at run time, so
 * the binaries are imported as modules (wrangler's CompiledWasm rule) and only instantiated here,
 * once per isolate: the instance's memory (65 MiB at least, as the binary declares) is reused.
 */
export async function argon2id(
  password: Uint8Array,
  salt: Uint8Array,
  { memoryKiB, time, parallelism }: Argon2idParams,
  tagLength: number,
): Promise<Uint8Array> {
  loaded ??= setupWasm(instantiate(simd), instantiate(noSimd))
  const compute = await loaded
  return compute({ password, salt, parallelism, passes: time, memorySize: memoryKiB, tagLength })
}

function instantiate(module: WebAssembly.Module) {
  return async (imports: WebAssembly.Imports) => ({
    module,
    instance: await WebAssembly.instantiate(module, imports),
  })
}
