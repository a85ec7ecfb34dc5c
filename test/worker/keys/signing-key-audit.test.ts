import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { auditSigningKey } from '../../../worker/keys/signing-key-audit.ts'
import { generateSigningKey } from '../../../scripts/lib/signing-keys.ts'
import { createTestIssuer } from '../helpers/issuer.ts'

const rows = async (detail: string) =>
  (await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM audit_events WHERE event = 'key.signing' AND detail = ?",
  )
    .bind(detail)
    .first<{ n: number }>())!.n

describe('signing-key audit', () => {
  test('records each key once, when it starts signing', async () => {
    const first = await generateSigningKey('ES256', 'current')
    const second = await generateSigningKey('ES256', 'current')
    const ring = (key: unknown) => ({ SIGNING_KEYS: JSON.stringify({ keys: [key] }) })
    const before = createTestIssuer(ring(first))
    expect(await auditSigningKey(before.issuer)).toBe(`ES256:${first.kid}`)
    expect(await auditSigningKey(before.issuer)).toBeUndefined()
    const after = createTestIssuer(ring(second))
    expect(await auditSigningKey(after.issuer)).toBe(`ES256:${second.kid}`)
    expect(await rows(`ES256:${first.kid}`)).toBe(1)
    expect(await rows(`ES256:${second.kid}`)).toBe(1)
  })
})
