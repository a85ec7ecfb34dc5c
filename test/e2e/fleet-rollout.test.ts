import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseEnv, promisify } from 'node:util'
import { hashSync } from 'bcryptjs'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createRotorClient } from '../../client/index.ts'
import { APP_VERSION_HEADER, ROUTES } from '../../contract/index.ts'
import { freePort, startWranglerDev } from './helpers/wrangler-dev.ts'
import type { DevState, WranglerDev } from './helpers/wrangler-dev.ts'
import type { FetchLike, RotorClient } from '../../client/index.ts'

// Issue 13's rollout on a simulated fleet, over real HTTP: a team's 1,000 users arrive with their
// ids and bcrypt hashes; their apps hold never-expiring HS256 tokens. The issuer moves through
// monitor → warn → enforce (one `npm run dev` per phase over the same D1 state and keys). Updated
// apps trade their token once and keep working through enforce; old apps are stragglers the
// report names; users who sign in with their old password keep it and are upgraded.

const root = fileURLToPath(new URL('../..', import.meta.url))
const LEGACY_SECRET = 'the-fleet-hs256-secret-that-never-rotated'
const USERS = 1_000
const UPDATED_APPS = 30
const OLD_APPS = 15
const SIGN_INS = 8
const SUNSET = 'Mon, 01 Mar 2027 00:00:00 GMT'
const UPDATED = { userAgent: 'FleetApp/3.0 (updated)', appVersion: '3.0.0' }
const OLD = { userAgent: 'FleetApp/2.9 (old)', appVersion: '2.9.4' }

const idOf = (i: number) => `legacy|${String(i).padStart(4, '0')}`
const emailOf = (i: number) => `fleet-${i}@example.com`
const passwordOf = (i: number) => `the old password of user ${i}`
/** What `auth.me` answers: imported with `email_verified: true`, and kept. */
const me = (i: number) => ({ id: idOf(i), email: emailOf(i), emailVerified: true })

function legacyToken(i: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(idOf(i))
    .setIssuedAt()
    .sign(new TextEncoder().encode(LEGACY_SECRET))
}

/** A fetch that names the app, as the fleet's clients do, so the report can group by it. */
function appFetch(app: typeof UPDATED): FetchLike {
  return (input, init) => {
    const headers = new Headers(init?.headers)
    headers.set('user-agent', app.userAgent)
    headers.set(APP_VERSION_HEADER, app.appVersion)
    return globalThis.fetch(input, { ...init, headers })
  }
}

describe('a fleet on never-expiring tokens moves to Rotor', { timeout: 300_000 }, () => {
  let state: DevState
  let dev: WranglerDev | undefined
  const apps: { i: number; client: RotorClient; signedOut: string[] }[] = []
  const figures = { imported: 0, exchanged: 0, upgraded: 0, refused: 0, forcedSignIns: 0 }

  beforeAll(async () => {
    state = { dir: await mkdtemp(join(tmpdir(), 'rotor-fleet-')), port: await freePort() }
    // The first run writes the dev vars file (keys, secrets) that later phases reuse.
    await writeFile(join(state.dir, 'dev.vars'), '', { mode: 0o600 })
  })
  afterAll(async () => {
    for (const app of apps) app.client.close()
    await dev?.stop()
    await rm(state.dir, { recursive: true, force: true })
    console.log(
      `fleet: ${figures.imported} imported, ${figures.exchanged} exchanged, ` +
        `${figures.upgraded} upgraded at sign-in, ${figures.refused} legacy calls refused in ` +
        `enforce, ${figures.forcedSignIns} forced sign-ins`,
    )
  })

  async function phase(mode: 'monitor' | 'warn' | 'enforce') {
    await dev?.stop()
    const vars = { LEGACY_MODE: mode, LEGACY_JWT_SECRET: LEGACY_SECRET, LEGACY_SUNSET: SUNSET }
    dev = await startWranglerDev(vars, state)
    return dev
  }
  const adminSecret = async () =>
    parseEnv(await readFile(join(state.dir, 'dev.vars'), 'utf8')).ADMIN_SECRET!

  /** An old app calls the issuer with its legacy token as it always has. */
  async function oldAppCall(url: string, i: number) {
    const response = await fetch(`${url}/trpc/auth.me`, {
      headers: {
        authorization: `Bearer ${await legacyToken(i)}`,
        'user-agent': OLD.userAgent,
        [APP_VERSION_HEADER]: OLD.appVersion,
      },
    })
    const body = (await response.json()) as { error?: { data?: { reason?: string } } }
    const deprecation = response.headers.get('deprecation')
    return { status: response.status, deprecation, sunset: response.headers.get('sunset'), body }
  }

  test('monitor: the users are imported with their ids and hashes; updated apps exchange, old ones go on', async () => {
    const { url } = await phase('monitor')
    // bcrypt at cost 4 keeps making 1,000 hashes quick; the format and the check are the same.
    const lines = Array.from({ length: USERS }, (_, i) =>
      JSON.stringify({
        id: idOf(i),
        email: emailOf(i),
        password_hash: hashSync(passwordOf(i), 4),
        email_verified: true,
        created_at: '2021-06-01T00:00:00Z',
      }),
    )
    const file = join(state.dir, 'users.jsonl')
    await writeFile(file, lines.join('\n') + '\n')
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['scripts/users-import.ts', file, '--url', url],
      { cwd: root, env: { ...process.env, ADMIN_SECRET: await adminSecret() } },
    )
    expect(stdout).toMatch(/^imported 1000, updated 0, skipped 0, refused 0 /m)
    figures.imported = Number(/^imported (\d+)/m.exec(stdout)![1])

    for (let i = 0; i < UPDATED_APPS; i++) {
      const signedOut: string[] = []
      const token = await legacyToken(i)
      const client = createRotorClient({
        url: `${url}/trpc`,
        delivery: 'body',
        fetch: appFetch(UPDATED),
        legacyToken: () => token,
      })
      client.onSignedOut((reason) => signedOut.push(String(reason)))
      apps.push({ i, client, signedOut })
      expect(await client.auth.me.query()).toEqual(me(i))
    }
    figures.exchanged = apps.length
    for (let i = UPDATED_APPS; i < UPDATED_APPS + OLD_APPS; i++) {
      const call = await oldAppCall(url, i)
      expect(call.status).toBe(200)
      expect(call.deprecation).toBeNull()
    }
  })

  test('warn: updated apps carry on; old apps still work but are told the date', async () => {
    const { url } = await phase('warn')
    for (const app of apps) {
      expect(await app.client.auth.me.query()).toEqual(me(app.i))
    }
    for (let i = UPDATED_APPS; i < UPDATED_APPS + OLD_APPS; i++) {
      const call = await oldAppCall(url, i)
      expect(call.status).toBe(200)
      expect(call.deprecation).toMatch(/^@\d+$/)
      expect(call.sunset).toBe(SUNSET)
    }
  })

  test('enforce: no updated app is signed out, old apps are refused, old passwords still sign in', async () => {
    const { url } = await phase('enforce')
    for (const app of apps) {
      expect(await app.client.auth.me.query()).toEqual(me(app.i))
      expect(app.signedOut).toEqual([])
      figures.forcedSignIns += app.signedOut.length
    }
    for (let i = UPDATED_APPS; i < UPDATED_APPS + OLD_APPS; i++) {
      const call = await oldAppCall(url, i)
      expect(call.status).toBe(401)
      expect(call.body.error?.data?.reason).toBe('LEGACY_TOKEN_REJECTED')
      figures.refused++
    }

    // Users who never had an updated app sign in with the password they always had.
    const signIn = (i: number, password: string) =>
      fetch(`${url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: emailOf(i), password }),
      })
    for (let i = 500; i < 500 + SIGN_INS; i++) {
      expect((await signIn(i, passwordOf(i))).status).toBe(200)
      // The bcrypt hash was replaced at that sign-in: the same password works against Rotor's own.
      expect((await signIn(i, passwordOf(i))).status).toBe(200)
      expect((await signIn(i, `${passwordOf(i)}!`)).status).toBe(401)
    }
  })

  test('the legacy report names the stragglers by client and day', async () => {
    const response = await fetch(`${dev!.url}${ROUTES.legacyReport}?days=1`, {
      headers: { authorization: `Bearer ${await adminSecret()}` },
    })
    expect(response.status).toBe(200)
    const report = (await response.json()) as {
      rows: {
        day: string
        userAgent: string
        appVersion: string
        rejected: number
        users: number
        exchanged: number
      }[]
    }
    const today = new Date().toISOString().slice(0, 10)
    const old = report.rows.find((row) => row.userAgent === OLD.userAgent)
    const updated = report.rows.find((row) => row.userAgent === UPDATED.userAgent)
    expect(old).toMatchObject({ day: today, appVersion: OLD.appVersion, users: OLD_APPS })
    expect(old).toMatchObject({ rejected: OLD_APPS, exchanged: 0 })
    expect(updated).toMatchObject({ day: today, users: UPDATED_APPS, exchanged: UPDATED_APPS })
  })

  test('the operator sees in D1 that exactly the users who signed in left bcrypt behind', async () => {
    await dev?.stop()
    dev = undefined
    const sql = `SELECT SUM(password_hash LIKE '$2b$%') AS bcrypt, COUNT(*) AS users,
      SUM(id BETWEEN '${idOf(500)}' AND '${idOf(500 + SIGN_INS - 1)}' AND password_hash NOT LIKE '$2b$%') AS upgraded
      FROM users`
    const result = await promisify(execFile)(
      process.execPath,
      [
        'node_modules/wrangler/bin/wrangler.js',
        'd1',
        'execute',
        'DB',
        '--local',
        '--persist-to',
        join(state.dir, 'state'),
        '--json',
        '--command',
        sql,
      ],
      { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
    )
    const [{ results }] = JSON.parse(result.stdout) as [{ results: Record<string, number>[] }]
    figures.upgraded = results[0]!.upgraded!
    expect(results[0]).toEqual({ bcrypt: USERS - SIGN_INS, users: USERS, upgraded: SIGN_INS })
  })
})
