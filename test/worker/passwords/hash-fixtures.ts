/**
 * Known answers, made offline by the reference implementations (Debian 12's python3-bcrypt 3.2,
 * argon2-cffi 21.1, passlib 1.7.4, Django 3.2 and Python's hashlib), all of the password below.
 * Committed as constants: no test regenerates them with the code under test.
 */
export const FIXTURE_PASSWORD = 'correct horse battery staple'

export const FOREIGN_HASHES = {
  /** python bcrypt, cost 4 (the minimum) so tests stay quick. */
  'bcrypt $2b$': '$2b$04$R0DK6Cz4NRq/mQtTlpA.5OIQ7N2quu8CnFLxf3kI4BRVqfkF4pRjS',
  'bcrypt $2a$': '$2a$04$9R/.yVN7zrEjwsHak0swNOeI4.cMWzWFSp5fiVdysa8f9NIT53rSe',
  /** passlib, PHP's prefix. */
  'bcrypt $2y$': '$2y$04$qW1RZ/LYWL7bA/7G0OY8wuhP7lzmNiaxK0Vv/ZYRP7en1CWOqTuPu',
  'bcrypt cost 10': '$2b$10$4jNXcVVmf8xidfxP1l2gjOJNau5L/VaeS94F9UN9OP5ZEFLfOEW7.',
  /** argon2-cffi at OWASP's first setting, its default 16-byte tag. */
  'argon2id 19 MiB': '$argon2id$v=19$m=19456,t=2,p=1$2b/rPnGkh/bdlb9MLMovAA$o1tULN6z/03l8JUSN+63ig',
  /** argon2-cffi, two lanes, 8-byte salt. */
  'argon2id p=2': '$argon2id$v=19$m=256,t=1,p=2$1UDM/kVJqOY$dP1Qfs0gjI+NBKY1c9ZMdA',
  /** passlib's scrypt, standard base64. */
  'scrypt passlib':
    '$scrypt$ln=14,r=8,p=1$HiNEKAUgREhJqTXGmFPKmQ$7bLOJ5Q72JB21LnHRB5Nb5idkXecZJhrIQh/rVJEkxI',
  /** Rotor's scheme before argon2id (hashlib.scrypt), URL-safe base64 with `-` and `_`. */
  'scrypt Rotor 0.2':
    '$scrypt$ln=15,r=8,p=3$mw1xTHew3WGh64CakMOBtQ$0sCm_iiuBYHWtMNO9CNH2dDTv-atLc0xgeHe17vMB4Y',
  /** hashlib.pbkdf2_hmac in a PHC string, standard base64. */
  'pbkdf2 PHC 600k':
    '$pbkdf2-sha256$i=600000,l=32$RDfR2NL07o365CcIhAYwNA$I3XjpZmc8C71p7oGQ1NSMvfdNpSZPOl0k+3k18hzkeo',
  /** passlib's own form and adapted base64 (`.` for `+`). */
  'pbkdf2 passlib':
    '$pbkdf2-sha256$29000$1boXAoDQ.j/nHCPE2JvTug$yGQ9xf362IgKOfcLNjVmBN3YciXAnQMZuyLhFwPC.j4',
  /** Django's PBKDF2PasswordHasher at 1,000,000 iterations (Django 5.1's default is 870,000). */
  'django pbkdf2 1M':
    'pbkdf2_sha256$1000000$JngqgFxwAGyYu0TxZD6AU1$T+wDvaVMqPv4+xlffgvB1BDBTRxxAQS+EVkcHqMLIkY=',
} as const

/** python bcrypt of a password typed in fullwidth letters, which NFKC would change. */
export const FULLWIDTH = {
  password: 'ｐａｓｓｗｏｒｄ ｆｕｌｌｗｉｄｔｈ ✓',
  hash: '$2b$04$A7EIi8MdfdUZOJasSO1ki.uWRXwtj9mLdemFKI2uddZWdLEoyMb2y',
}
