import { scrypt } from 'node:crypto'

export type ScryptParams = { ln: number; r: number; p: number }

/** scrypt through node:crypto (BoringSSL under nodejs_compat), off the isolate's JS thread. */
export function scryptKey(
  password: Uint8Array,
  salt: Uint8Array,
  { ln, r, p }: ScryptParams,
  length: number,
): Promise<Uint8Array> {
  const N = 2 ** ln
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(new Uint8Array(key)),
    )
  })
}
