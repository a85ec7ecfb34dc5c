/** The most of an unparseable address kept in a key: a header's value must not size a row. */
const MAX_RAW = 64

/**
 * The counter key of a per-IP limit: `<scope>-ip:<network>`. Every per-IP limit goes through
 * this, so one client cannot get a fresh budget by writing its address another way or by taking
 * the next address of its IPv6 /64.
 */
export function ipLimitKey(scope: string, ip: string | null): string {
  return `${scope}-ip:${clientNetwork(ip)}`
}

/**
 * The network a rate limit counts a client in: an IPv4 address as itself, an IPv6 address as its
 * /64 (`2001:db8:0:1::/64`), since one subscriber is handed a whole /64 (Cloudflare's advice for
 * IPv6 rate limits). Compressed and expanded forms, upper case and zone ids (`%eth0`) give the
 * same network; an IPv4-mapped address (`::ffff:192.0.2.1`) is that IPv4 address.
 */
export function clientNetwork(ip: string | null): string {
  if (ip === null || ip.trim() === '') return 'unknown'
  const text = ip.trim().toLowerCase()
  const v4 = parseIpv4(text)
  if (v4) return v4.join('.')
  const v6 = parseIpv6(text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, ''))
  if (!v6) return text.slice(0, MAX_RAW)
  if (v6.slice(0, 5).every((group) => group === 0) && v6[5] === 0xffff) {
    return [v6[6]! >> 8, v6[6]! & 0xff, v6[7]! >> 8, v6[7]! & 0xff].join('.')
  }
  return `${v6
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`
}

function parseIpv4(text: string): number[] | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return undefined
  const octets = text.split('.').map(Number)
  return octets.every((octet) => octet <= 255) ? octets : undefined
}

/** The eight 16-bit groups of an IPv6 address (RFC 4291 §2.2 text forms), or `undefined`. */
function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')))
  const tail = groups.at(-1)!
  const v4 = tail.length > 0 ? parseIpv4(tail.at(-1)!) : undefined
  if (v4) tail.splice(-1, 1, hex(v4[0]! * 256 + v4[1]!), hex(v4[2]! * 256 + v4[3]!))
  const [head, rest = []] = groups
  const missing = 8 - head!.length - rest.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const all = [...head!, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...rest]
  if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined
  return all.map((group) => parseInt(group, 16))
}

const hex = (value: number) => value.toString(16)
