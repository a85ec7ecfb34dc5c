import { describe, expect, test } from 'vitest'
import { clientNetwork } from '../../../worker/guard/ip-key.ts'
import { createTestIssuer, failure } from '../helpers/issuer.ts'
import type { TestIssuer } from '../helpers/issuer.ts'

const fromIp = (ip: string) => ({ headers: { 'cf-connecting-ip': ip } })
/** A /64 no other test uses, so each test starts with a fresh budget. */
const group = () => Math.floor(Math.random() * 0xffff).toString(16)
const fresh64 = () => `2001:db8:${group()}:${group()}`
const badLogin = (t: TestIssuer, ip: string) =>
  t.call(
    'auth.login',
    { email: `nobody-${crypto.randomUUID()}@example.com`, password: 'x' },
    fromIp(ip),
  )

describe('per-IP limits count a client once, however its address is written', () => {
  test('the next address in the same IPv6 /64 shares the budget; another /64 does not', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_IP: '3/60' })
    const net = fresh64()
    for (let i = 1; i <= 3; i++) expect((await badLogin(t, `${net}::${i}`)).status).toBe(401)
    const next = await badLogin(t, `${net}:ffff:ffff:ffff:fffe`)
    expect(failure(next)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect((await badLogin(t, `${fresh64()}::1`)).status).toBe(401)
  })

  test('compressed, expanded, upper-case and zoned forms of one address are one client', async () => {
    const t = createTestIssuer({ RATE_LIMIT_REGISTER_IP: '3/3600' })
    const [a, b, c, d] = fresh64().split(':')
    const register = (ip: string) =>
      t.call(
        'auth.register',
        { email: `r-${crypto.randomUUID()}@example.com`, password: 'long enough pass' },
        fromIp(ip),
      )
    const pad = (group: string) => group!.padStart(4, '0')
    expect((await register(`${a}:${b}:${c}:${d}::1`)).status).toBe(200)
    expect((await register(`${pad(a!)}:${pad(b!)}:${pad(c!)}:${pad(d!)}:0:0:0:1`)).status).toBe(200)
    expect((await register(`${a}:${b}:${c}:${d}::1%eth0`.toUpperCase())).status).toBe(200)
    const fourth = await register(`${a}:${b}:${c}:${d}:0::2`)
    expect(failure(fourth)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
  })

  test('an IPv4-mapped IPv6 address is counted as that IPv4 address', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_IP: '2/60' })
    const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
    expect((await badLogin(t, ip)).status).toBe(401)
    expect((await badLogin(t, `::ffff:${ip}`)).status).toBe(401)
    expect(failure(await badLogin(t, `::FFFF:${ip}`))).toMatchObject({ status: 429 })
  })

  test('the legacy exchange counts IPs the same way', async () => {
    const t = createTestIssuer({ RATE_LIMIT_LOGIN_IP: '1/60', LEGACY_MODE: 'off' })
    const net = fresh64()
    const exchange = (ip: string) =>
      t.call('auth.exchangeLegacy', { token: 'not.a.token' }, fromIp(ip))
    expect(failure(await exchange(`${net}::1`)).status).not.toBe(429)
    expect(failure(await exchange(`${net}::2`))).toEqual({ status: 429, reason: 'RATE_LIMITED' })
  })
})

describe('clientNetwork', () => {
  test.each([
    ['192.0.2.7', '192.0.2.7'],
    [' 192.0.2.7 ', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::ffff:c000:207', '192.0.2.7'],
    ['0:0:0:0:0:ffff:192.0.2.7', '192.0.2.7'],
    ['2001:DB8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0000:0001:abcd:ef01:2345:6789', '2001:db8:0:1::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['[2001:db8:1:2::3]', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['2001:db8:1:2:3:4:5::', '2001:db8:1:2::/64'],
    ['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
  ])('%j counts as %j', (ip, network) => {
    expect(clientNetwork(ip)).toBe(network)
  })

  test('missing and unparseable addresses', () => {
    expect(clientNetwork(null)).toBe('unknown')
    expect(clientNetwork('')).toBe('unknown')
    expect(clientNetwork('1:2:3:4:5:6:7:8:9')).toBe('1:2:3:4:5:6:7:8:9')
    expect(clientNetwork('1::2::3')).toBe('1::2::3')
    expect(clientNetwork('x'.repeat(500))).toHaveLength(64)
    expect(clientNetwork('256.1.1.1')).toBe('256.1.1.1')
  })
})
