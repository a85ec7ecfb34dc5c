import { createHash, createHmac } from 'node:crypto'

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) in plain JS, tuned for its one hot loop: each iteration is two
 * SHA-256 compressions from the HMAC key's precomputed inner and outer states, on preallocated
 * words. Cloudflare caps PBKDF2 at 100,000 iterations in production, in WebCrypto and node:crypto
 * alike (workerd#1346; local workerd has no cap), while Django stores 600,000–1,500,000, and a
 * generic JS HMAC costs several µs per iteration (@noble/hashes: ~5 s for 1M).
 */
export function pbkdf2Sha256(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Uint8Array {
  const key = password.length > 64 ? createHash('sha256').update(password).digest() : password
  const inner = padState(key, 0x36)
  const outer = padState(key, 0x5c)
  const out = new Uint8Array(Math.ceil(length / 32) * 32)
  const block = new Uint8Array(salt.length + 4)
  block.set(salt)
  const w = new Int32Array(64)
  const state = new Int32Array(8)
  const u = new Int32Array(8)
  const t = new Int32Array(8)
  for (let index = 1; index * 32 - 32 < length; index++) {
    new DataView(block.buffer).setUint32(salt.length, index)
    const first = createHmac('sha256', key).update(block).digest()
    for (let i = 0; i < 8; i++) u[i] = t[i] = readWord(first, i * 4)
    for (let n = 1; n < iterations; n++) {
      // Inner hash of U (32 bytes after the 64-byte key block: 768 bits), then the outer one.
      hashTail(inner, u, state, w)
      hashTail(outer, state, u, w)
      for (let i = 0; i < 8; i++) t[i]! ^= u[i]!
    }
    const view = new DataView(out.buffer)
    for (let i = 0; i < 8; i++) view.setInt32((index - 1) * 32 + i * 4, t[i]!)
  }
  return out.slice(0, length)
}

const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
])
// prettier-ignore
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

/** The SHA-256 state after one 64-byte block of the key XOR-ed with `pad` (HMAC's ipad/opad). */
function padState(key: Uint8Array, pad: number): Int32Array {
  const bytes = new Uint8Array(64).fill(pad)
  key.forEach((byte, i) => (bytes[i] = byte ^ pad))
  const w = new Int32Array(64)
  for (let i = 0; i < 16; i++) w[i] = readWord(bytes, i * 4)
  const state = IV.slice()
  compress(state, w)
  return state
}

/** `out` = SHA-256 of (a block already absorbed into `from`) followed by the 32-byte `message`. */
function hashTail(from: Int32Array, message: Int32Array, out: Int32Array, w: Int32Array): void {
  for (let i = 0; i < 8; i++) w[i] = message[i]!
  w[8] = 0x80000000 | 0
  for (let i = 9; i < 15; i++) w[i] = 0
  w[15] = (64 + 32) * 8
  out.set(from)
  compress(out, w)
}

function compress(state: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!
    const b = w[i - 2]!
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3)
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10)
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0
  }
  let a = state[0]!
  let b = state[1]!
  let c = state[2]!
  let d = state[3]!
  let e = state[4]!
  let f = state[5]!
  let g = state[6]!
  let h = state[7]!
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
    h = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  state[0] = (state[0]! + a) | 0
  state[1] = (state[1]! + b) | 0
  state[2] = (state[2]! + c) | 0
  state[3] = (state[3]! + d) | 0
  state[4] = (state[4]! + e) | 0
  state[5] = (state[5]! + f) | 0
  state[6] = (state[6]! + g) | 0
  state[7] = (state[7]! + h) | 0
}

function readWord(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!
}
