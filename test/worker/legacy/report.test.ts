import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createD1Store } from '../../../worker/store/d1-store.ts'
import { legacyReportSql, legacyTotalsSql } from '../../../worker/store/legacy-report-sql.ts'
import { createTestIssuer, registerUser } from '../helpers/issuer.ts'

const HOUR = 3_600_000
const FEB_1 = Date.UTC(2001, 1, 1, 9)
const FEB_2 = FEB_1 + 24 * HOUR
const range = { since: '2001-02-01', until: '2001-02-02' }

/** Usage as the issuer records it, on days no other test writes. */
async function seed() {
  const store = createD1Store(env.DB)
  const t = createTestIssuer()
  const [one, two, three] = [await registerUser(t), await registerUser(t), await registerUser(t)]
  const oldApp = { userAgent: 'Fleet/1', appVersion: '1.0' }
  const newApp = { userAgent: 'Fleet/2', appVersion: '' }
  const use = (at: number, userId: string, client: typeof oldApp) => ({ at, userId, client })
  for (let i = 0; i < 3; i++)
    await store.recordLegacyUse(use(FEB_1 + i * HOUR, one.id, oldApp), false)
  await store.recordLegacyUse(use(FEB_1, two.id, oldApp), false)
  await store.recordLegacyUse(use(FEB_1, three.id, newApp), false)
  await store.recordLegacyUse(use(FEB_1 + HOUR, three.id, newApp), false)
  await store.recordLegacyRefusal(use(FEB_2, one.id, oldApp))
  await store.recordLegacyUse(use(FEB_2, three.id, newApp), true)
}

describe('legacy report figures', () => {
  test('per day and client: uses, refusals, distinct users, users who have exchanged', async () => {
    await seed()
    const { results } = await env.DB.prepare(legacyReportSql(range)).all()
    expect(results).toEqual([
      {
        day: '2001-02-02',
        userAgent: 'Fleet/1',
        appVersion: '1.0',
        uses: 1,
        rejected: 1,
        users: 1,
        exchanged: 0,
      },
      {
        day: '2001-02-02',
        userAgent: 'Fleet/2',
        appVersion: '',
        uses: 1,
        rejected: 0,
        users: 1,
        exchanged: 1,
      },
      {
        day: '2001-02-01',
        userAgent: 'Fleet/1',
        appVersion: '1.0',
        uses: 4,
        rejected: 0,
        users: 2,
        exchanged: 0,
      },
      {
        day: '2001-02-01',
        userAgent: 'Fleet/2',
        appVersion: '',
        uses: 2,
        rejected: 0,
        users: 1,
        exchanged: 1,
      },
    ])
    const totals = await env.DB.prepare(legacyTotalsSql(range)).first()
    expect(totals).toEqual({ uses: 8, users: 3, exchanged: 1 })
  })

  test('an empty range reports nothing, with zero totals', async () => {
    const empty = { since: '1999-01-01', until: '1999-01-02' }
    expect((await env.DB.prepare(legacyReportSql(empty)).all()).results).toEqual([])
    expect(await env.DB.prepare(legacyTotalsSql(empty)).first()).toEqual({
      uses: 0,
      users: 0,
      exchanged: 0,
    })
  })

  test('a token whose sub names no user is a refused use, but not a user', async () => {
    const store = createD1Store(env.DB)
    const t = createTestIssuer()
    const real = await registerUser(t)
    const at = Date.UTC(2001, 2, 1, 9)
    const client = { userAgent: 'Ghost/1', appVersion: '' }
    await store.recordLegacyUse({ at, userId: real.id, client }, false)
    for (const sub of ['no-such-user-1', 'no-such-user-2']) {
      expect(await store.recordLegacyUse({ at, userId: sub, client }, false)).toBeUndefined()
    }
    const day = { since: '2001-03-01', until: '2001-03-01' }
    expect((await env.DB.prepare(legacyReportSql(day)).all()).results).toEqual([
      {
        day: '2001-03-01',
        userAgent: 'Ghost/1',
        appVersion: '',
        uses: 3,
        rejected: 2,
        users: 1,
        exchanged: 0,
      },
    ])
    expect(await env.DB.prepare(legacyTotalsSql(day)).first()).toEqual({
      uses: 3,
      users: 1,
      exchanged: 0,
    })
  })

  test('only dates reach the SQL', () => {
    expect(() => legacyReportSql({ since: "2001-01-01' OR 1=1 --", until: '2001-01-02' })).toThrow(
      RangeError,
    )
  })
})
