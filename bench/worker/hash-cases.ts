/**
 * One stored hash per measured scheme and setting, of random bytes: a verification costs the same
 * whether the password matches or not, so no real password is needed. Typical settings and each
 * `HASH_LIMITS` maximum (README, "Password hashes").
 */
export const HASH_CASES = {
  'bcrypt cost 10': () => bcrypt(10),
  'bcrypt cost 12 (max)': () => bcrypt(12),
  'argon2id 19 MiB t=2 p=1 (Rotor)': () => argon2id(19_456, 2, 1),
  'argon2id 64 MiB t=3 p=4': () => argon2id(65_536, 3, 4),
  'argon2id 64 MiB t=5 p=4 (max)': () => argon2id(65_536, 5, 4),
  'scrypt 2^15·8·3 (Rotor 0.2)': () => `$scrypt$ln=15,r=8,p=3$${b64(16)}$${b64(32)}`,
  'scrypt 2^15·8·4 (max work)': () => `$scrypt$ln=15,r=8,p=4$${b64(16)}$${b64(32)}`,
  'PBKDF2-SHA256 600k': () => `$pbkdf2-sha256$i=600000$${b64(16)}$${b64(32)}`,
  'PBKDF2-SHA256 1M': () => `$pbkdf2-sha256$i=1000000$${b64(16)}$${b64(32)}`,
  'PBKDF2-SHA256 1.2M (max)': () => `$pbkdf2-sha256$i=1200000$${b64(16)}$${b64(32)}`,
  'Django pbkdf2_sha256 1M': () => `pbkdf2_sha256$1000000$abcdefghijklmnopqrstuv$${b64(32)}=`,
} as const

export type HashCase = keyof typeof HASH_CASES

function argon2id(m: number, t: number, p: number): string {
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(16)}$${b64(32)}`
}

function bcrypt(cost: number): string {
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  const chars = Array.from(crypto.getRandomValues(new Uint8Array(53)), (b) => alphabet[b % 64])
  // The last character of the 22-character salt carries only 2 bits: keep it canonical.
  chars[21] = '.'
  return `$2b$${cost}$${chars.join('')}`
}

function b64(bytes: number): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes)))).replace(
    /=+$/,
    '',
  )
}
