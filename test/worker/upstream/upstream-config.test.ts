import { env } from 'cloudflare:workers'
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../worker/config/config-error.ts'
import { parseUpstreamSettings } from '../../../worker/config/upstream-config.ts'
import { createIssuer } from '../../../worker/issuer.ts'
import { parseUpstreamUser, readBoundedText } from '../../../worker/upstream/upstream-answer.ts'

const SECRET = 's'.repeat(40)
// The parser only checks the shape of a binding; a real one (an RPC stub) does not print.
const BINDING = { fetch: async () => new Response(null, { status: 404 }), connect() {} }
const issuerWith = (vars: Record<string, unknown>) => createIssuer({ ...env, ...vars })

describe('lazy migration configuration', () => {
  test('unset by default: the wrangler.toml defaults configure no upstream', () => {
    expect(issuerWith({}).upstream).toBeUndefined()
  })

  test('a service binding, with an optional secret and the 3 s default timeout', () => {
    const settings = parseUpstreamSettings({ UPSTREAM_PASSWORDS: BINDING })
    expect(settings?.binding).toBe(BINDING)
    expect({ ...settings, binding: undefined }).toEqual({
      source: 'UPSTREAM_PASSWORDS',
      binding: undefined,
      url: 'https://upstream-passwords.internal/check-password',
      secret: undefined,
      timeoutMs: 3000,
    })
  })

  test('an https URL with its secret; plain http only to this machine', () => {
    const url = 'https://passwords.example.com/check'
    expect(
      parseUpstreamSettings({ UPSTREAM_PASSWORD_URL: url, UPSTREAM_PASSWORD_SECRET: SECRET }),
    ).toMatchObject({ source: 'UPSTREAM_PASSWORD_URL', url, secret: SECRET, binding: undefined })
    const local = 'http://localhost:8788/check-password'
    expect(
      parseUpstreamSettings({ UPSTREAM_PASSWORD_URL: local, UPSTREAM_PASSWORD_SECRET: SECRET }),
    ).toMatchObject({ url: local })
  })

  test.each([
    [{ UPSTREAM_PASSWORD_URL: 'https://a.example/x' }, 'UPSTREAM_PASSWORD_SECRET'],
    [
      { UPSTREAM_PASSWORD_URL: 'http://passwords.example.com/', UPSTREAM_PASSWORD_SECRET: SECRET },
      'UPSTREAM_PASSWORD_URL',
    ],
    [
      { UPSTREAM_PASSWORD_URL: 'https://user:pw@a.example/', UPSTREAM_PASSWORD_SECRET: SECRET },
      'UPSTREAM_PASSWORD_URL',
    ],
    [
      { UPSTREAM_PASSWORD_URL: 'not a url', UPSTREAM_PASSWORD_SECRET: SECRET },
      'UPSTREAM_PASSWORD_URL',
    ],
    [
      { UPSTREAM_PASSWORD_URL: 'https://a.example/', UPSTREAM_PASSWORD_SECRET: 'short' },
      'UPSTREAM_PASSWORD_SECRET',
    ],
    [{ UPSTREAM_PASSWORD_SECRET: SECRET }, 'UPSTREAM_PASSWORD_SECRET'],
    [{ UPSTREAM_PASSWORDS: 'https://a.example/' }, 'UPSTREAM_PASSWORDS'],
    [
      {
        UPSTREAM_PASSWORDS: BINDING,
        UPSTREAM_PASSWORD_URL: 'https://a.example/',
        UPSTREAM_PASSWORD_SECRET: SECRET,
      },
      'UPSTREAM_PASSWORDS or UPSTREAM_PASSWORD_URL',
    ],
    [{ UPSTREAM_PASSWORDS: BINDING, UPSTREAM_TIMEOUT: '0' }, 'UPSTREAM_TIMEOUT'],
    [{ UPSTREAM_PASSWORDS: BINDING, UPSTREAM_TIMEOUT: '11' }, 'UPSTREAM_TIMEOUT'],
    [{ UPSTREAM_PASSWORDS: BINDING, UPSTREAM_TIMEOUT: 'soon' }, 'UPSTREAM_TIMEOUT'],
  ])('bad value #%#: fails at start-up naming %s', (vars, name) => {
    expect(() => issuerWith(vars)).toThrow(ConfigError)
    expect(() => issuerWith(vars)).toThrow(name)
  })
})

describe("reading the upstream's answer", () => {
  const email = 'old@example.com'

  test.each([
    ['[]', 'not-an-object'],
    ['null', 'not-an-object'],
    ['{"id": "", "email": "old@example.com"}', 'bad-id'],
    ['{"id": -1, "email": "old@example.com"}', 'bad-id'],
    ['{"id": 1e300, "email": "old@example.com"}', 'bad-id'],
    [`{"id": "${'a'.repeat(129)}", "email": "old@example.com"}`, 'bad-id'],
    ['{"id": {"$ne": null}, "email": "old@example.com"}', 'bad-id'],
    ['{"id": "u1"}', 'other-email'],
    ['{"id": "u1", "email": "old@example.com", "email_verified": "yes"}', 'bad-email-verified'],
  ])('%s is refused (%s)', (text, why) => {
    expect(parseUpstreamUser(text, email)).toEqual({ ok: false, why })
  })

  test('a well-formed answer, extra fields ignored, email compared case-insensitively', () => {
    const text = '{"id": 42, "email": "Old@Example.com", "email_verified": true, "name": "x"}'
    expect(parseUpstreamUser(text, email)).toEqual({
      ok: true,
      user: { id: '42', email, emailVerified: true },
    })
  })

  test('a streamed body past 4 KiB without a Content-Length is cut off, not buffered', async () => {
    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new Uint8Array(1024).fill(0x20))
      },
    })
    expect(await readBoundedText(new Response(endless))).toBeUndefined()
    expect(pulled).toBeLessThan(10)
  })

  test('a body that is not UTF-8 is refused', async () => {
    expect(await readBoundedText(new Response(new Uint8Array([0x7b, 0xff, 0x7d])))).toBeUndefined()
  })
})
