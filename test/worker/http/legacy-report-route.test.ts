import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createD1Store } from '../../../worker/store/d1-store.ts'
import { createTestIssuer, registerUser } from '../helpers/issuer.ts'

const ADMIN_SECRET = 'operator-secret-operator-secret-0123456789'

describe('GET /admin/legacy-report', () => {
  test('gives operators the report as JSON for the last N days', async () => {
    const t = createTestIssuer({ ADMIN_SECRET })
    const user = await registerUser(t)
    const store = createD1Store(env.DB)
    const client = { userAgent: `ReportRoute/${crypto.randomUUID()}`, appVersion: '9.9' }
    await store.recordLegacyUse({ at: t.issuer.now(), userId: user.id, client }, false)
    await store.recordLegacyUse({ at: t.issuer.now(), userId: user.id, client }, true)
    const response = await t.request('/admin/legacy-report?days=1', {
      headers: { authorization: `Bearer ${ADMIN_SECRET}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const report = (await response.json()) as { rows: any[]; totals: any }
    const row = report.rows.find((r) => r.userAgent === client.userAgent)
    expect(row).toMatchObject({ appVersion: '9.9', uses: 2, users: 1, exchanged: 1 })
    expect(report.totals.users).toBeGreaterThanOrEqual(1)
  })

  test('refuses callers without the operator secret, and everyone when it is unset', async () => {
    const withSecret = createTestIssuer({ ADMIN_SECRET })
    for (const authorization of ['', 'Bearer wrong', `Bearer ${ADMIN_SECRET}x`]) {
      const response = await withSecret.request('/admin/legacy-report', {
        headers: { authorization },
      })
      expect(response.status).toBe(401)
    }
    const without = createTestIssuer()
    const response = await without.request('/admin/legacy-report', {
      headers: { authorization: `Bearer ${ADMIN_SECRET}` },
    })
    expect(response.status).toBe(401)
  })

  test('refuses a days value out of range', async () => {
    const t = createTestIssuer({ ADMIN_SECRET })
    const headers = { authorization: `Bearer ${ADMIN_SECRET}` }
    for (const days of ['0', '-1', '1.5', '1000', 'x']) {
      expect((await t.request(`/admin/legacy-report?days=${days}`, { headers })).status).toBe(400)
    }
  })
})
