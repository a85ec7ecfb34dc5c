/**
 * Every password-hash format Rotor accepts, parsed once with its parameters bounded. An import
 * refuses what does not parse here (with the reason); a sign-in only ever verifies what does, so no
 * stored hash can make it hang or fail with a 500. Pure: no crypto, no I/O.
 */

/** A user without a password here yet (imported without one, or created by another system). */
export const NO_PASSWORD = ''

/**
 * Upper bounds on the work one verification may cost, inside the Workers CPU budget and the 128 MB
 * isolate. Measured in workerd (README, "Password hashes"); a hash above them is refused at import.
 */
export const HASH_LIMITS = {
  // Cost 14 measured 1.8 s CPU per check, cost 12 0.4 s (every step doubles).
  bcryptCost: { min: 4, max: 12 },
  // 64 MiB, t=3, p=4 measured 0.5 s; t=10 would be ~1.6 s.
  argon2: { maxMemoryKiB: 65_536, maxTime: 5, maxParallelism: 4 },
  scrypt: { maxMemoryBytes: 64 * 1024 * 1024, maxWork: 2 ** 15 * 8 * 4 },
  // Plain JS (production caps native PBKDF2 at 100,000): 1M measured 1.3 s, 2M 2.6 s. Django 6.0
  // stores 1,200,000 by default; that one-off ~1.6 s per user (then upgraded) is let through.
  pbkdf2: { min: 1_000, max: 1_200_000 },
  saltBytes: { min: 8, max: 64 },
  keyBytes: { min: 16, max: 64 },
} as const

export type ParsedHash =
  | { scheme: 'bcrypt'; cost: number; encoded: string }
  | {
      scheme: 'argon2id'
      version: 19
      memoryKiB: number
      time: number
      parallelism: number
      salt: Uint8Array
      key: Uint8Array
    }
  | { scheme: 'scrypt'; ln: number; r: number; p: number; salt: Uint8Array; key: Uint8Array }
  | {
      scheme: 'pbkdf2-sha256'
      iterations: number
      salt: Uint8Array
      key: Uint8Array
    }

export type HashScheme = ParsedHash['scheme']

export type HashVerdict = { ok: true; hash: ParsedHash } | { ok: false; reason: string }

/** Parses `stored`, or says in a few words why it is refused. Never echoes the hash. */
export function parsePasswordHash(stored: string): HashVerdict {
  if (stored.length > 512) return refuse('the hash is longer than 512 characters')
  if (/^\$2[aby]\$/.test(stored)) return parseBcrypt(stored)
  if (stored.startsWith('$argon2')) return parseArgon2(stored)
  if (stored.startsWith('$scrypt$')) return parseScrypt(stored)
  if (stored.startsWith('$pbkdf2-sha256$')) return parsePhcPbkdf2(stored)
  if (stored.startsWith('pbkdf2_sha256$')) return parseDjango(stored)
  return refuse('the hash format is not one Rotor can verify')
}

function parseBcrypt(stored: string): HashVerdict {
  const match = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/.exec(stored)
  if (!match) return refuse('a bcrypt hash must be $2a$, $2b$ or $2y$, a cost and 53 characters')
  const cost = Number(match[1])
  const { min, max } = HASH_LIMITS.bcryptCost
  if (cost < min || cost > max) return refuse(`bcrypt cost ${cost} is outside ${min}–${max}`)
  return { ok: true, hash: { scheme: 'bcrypt', cost, encoded: stored } }
}

function parseArgon2(stored: string): HashVerdict {
  const match =
    /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,3})\$([^$]+)\$([^$]+)$/.exec(
      stored,
    )
  if (!match) return refuse('an argon2 hash must be a PHC string $argon2id$v=19$m=…,t=…,p=…$…$…')
  const [, variant, version, m, t, p, salt, key] = match
  if (variant !== 'argon2id') return refuse(`${variant} is not supported, only argon2id`)
  if (version !== '19') return refuse('only argon2 version 19 (0x13) is supported')
  const limits = HASH_LIMITS.argon2
  const [memoryKiB, time, parallelism] = [Number(m), Number(t), Number(p)]
  if (parallelism < 1 || parallelism > limits.maxParallelism)
    return refuse(`argon2 parallelism ${parallelism} is outside 1–${limits.maxParallelism}`)
  if (time < 1 || time > limits.maxTime)
    return refuse(`argon2 time cost ${time} is outside 1–${limits.maxTime}`)
  if (memoryKiB < 8 * parallelism || memoryKiB > limits.maxMemoryKiB)
    return refuse(
      `argon2 memory ${memoryKiB} KiB is outside ${8 * parallelism}–${limits.maxMemoryKiB}`,
    )
  const bytes = saltAndKey(salt!, key!)
  if (!bytes.ok) return bytes
  return {
    ok: true,
    hash: { scheme: 'argon2id', version: 19, memoryKiB, time, parallelism, ...bytes.value },
  }
}

function parseScrypt(stored: string): HashVerdict {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([^$]+)\$([^$]+)$/.exec(stored)
  if (!match) return refuse('a scrypt hash must be $scrypt$ln=…,r=…,p=…$salt$hash')
  const [, ln, r, p, salt, key] = match
  const params = { ln: Number(ln), r: Number(r), p: Number(p) }
  if (params.ln < 1 || params.r < 1 || params.p < 1) return refuse('scrypt parameters must be ≥ 1')
  const { maxMemoryBytes, maxWork } = HASH_LIMITS.scrypt
  if (128 * 2 ** params.ln * params.r > maxMemoryBytes)
    return refuse(`scrypt memory (128·2^ln·r) is above ${maxMemoryBytes / 1024 / 1024} MiB`)
  if (2 ** params.ln * params.r * params.p > maxWork)
    return refuse('scrypt work (2^ln·r·p) is above the sign-in budget')
  const bytes = saltAndKey(salt!, key!)
  if (!bytes.ok) return bytes
  return { ok: true, hash: { scheme: 'scrypt', ...params, ...bytes.value } }
}

/** `$pbkdf2-sha256$i=600000,l=32$salt$hash` (PHC) or passlib's `$pbkdf2-sha256$29000$salt$hash`. */
function parsePhcPbkdf2(stored: string): HashVerdict {
  const match =
    /^\$pbkdf2-sha256\$(?:i=(\d{1,10})(?:,l=(\d{1,3}))?|(\d{1,10}))\$([^$]+)\$([^$]+)$/.exec(stored)
  if (!match) return refuse('a PBKDF2 hash must be $pbkdf2-sha256$i=…$salt$hash')
  const [, phcIterations, length, passlibIterations, salt, key] = match
  const bytes = saltAndKey(salt!, key!)
  if (!bytes.ok) return bytes
  if (length !== undefined && Number(length) !== bytes.value.key.length)
    return refuse('the PBKDF2 hash length does not match its l= parameter')
  return pbkdf2(Number(phcIterations ?? passlibIterations), bytes.value.salt, bytes.value.key)
}

/** Django's `pbkdf2_sha256$<iterations>$<salt as text>$<base64 hash>`. */
function parseDjango(stored: string): HashVerdict {
  const match = /^pbkdf2_sha256\$(\d{1,10})\$([A-Za-z0-9]{1,128})\$([A-Za-z0-9+/]{43}=)$/.exec(
    stored,
  )
  if (!match) return refuse('a Django hash must be pbkdf2_sha256$iterations$salt$base64 hash')
  const [, iterations, salt, key] = match
  return pbkdf2(Number(iterations), new TextEncoder().encode(salt!), decodeBase64(key!)!)
}

function pbkdf2(iterations: number, salt: Uint8Array, key: Uint8Array): HashVerdict {
  const { min, max } = HASH_LIMITS.pbkdf2
  if (iterations < min || iterations > max)
    return refuse(`PBKDF2 iterations ${iterations} are outside ${min}–${max}`)
  return { ok: true, hash: { scheme: 'pbkdf2-sha256', iterations, salt, key } }
}

function saltAndKey(
  salt: string,
  key: string,
): { ok: true; value: { salt: Uint8Array; key: Uint8Array } } | { ok: false; reason: string } {
  const [saltBytes, keyBytes] = [decodeBase64(salt), decodeBase64(key)]
  if (!saltBytes || !keyBytes) return refuse('the salt or hash is not base64')
  const limits = HASH_LIMITS
  if (saltBytes.length < limits.saltBytes.min || saltBytes.length > limits.saltBytes.max)
    return refuse(`the salt must be ${limits.saltBytes.min}–${limits.saltBytes.max} bytes`)
  if (keyBytes.length < limits.keyBytes.min || keyBytes.length > limits.keyBytes.max)
    return refuse(`the hash must be ${limits.keyBytes.min}–${limits.keyBytes.max} bytes`)
  return { ok: true, value: { salt: saltBytes, key: keyBytes } }
}

/**
 * Unpadded or padded base64 in any of the alphabets PHC strings use in practice: standard (`+/`),
 * URL-safe (`-_`, Rotor's own) and passlib's adapted one (`.` for `+`). Mixing alphabets is refused.
 */
function decodeBase64(text: string): Uint8Array | undefined {
  const body = text.replace(/={1,2}$/, '')
  if (!/^[A-Za-z0-9+/.]*$/.test(body) && !/^[A-Za-z0-9_-]*$/.test(body)) return undefined
  if (body.length % 4 === 1) return undefined
  const standard = body.replace(/[-.]/g, '+').replace(/_/g, '/')
  try {
    return Uint8Array.from(atob(standard), (c) => c.charCodeAt(0))
  } catch {
    return undefined
  }
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason }
}
