import { describe, expect, test } from 'vitest'
import { failure, login, me, registerUser } from '../helpers/issuer.ts'
import {
  auditOf,
  createUpstreamIssuer,
  importWithoutPassword,
  seedUpstream,
  upstreamCalls,
  userByEmail,
  userById,
} from './helpers.ts'

const signIn = (t: ReturnType<typeof createUpstreamIssuer>, email: string, password: string) =>
  t.call('auth.login', { email, password })

describe('lazy migration: the first sign-in of a user who exists only upstream', () => {
  test('creates the user with the upstream id and a Rotor hash, and signs them in', async () => {
    const since = Date.now()
    const t = createUpstreamIssuer()
    const account = await seedUpstream({ emailVerified: true })
    const pair = await login(t, account)
    expect(pair.user).toEqual({ id: account.id, email: account.email })
    const whoami = await me(t, pair.accessToken)
    expect(whoami.body.result.data).toMatchObject({ id: account.id, email: account.email })
    const row = await userById(account.id)
    expect(row).toMatchObject({ email: account.email, email_verified: 1 })
    expect(row!.password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$/)
    expect(await auditOf('user.migrated', { userId: account.id, since })).toEqual([
      { user_id: account.id, detail: 'created' },
    ])
    expect(await auditOf('login.success', { userId: account.id, since })).toHaveLength(1)
  })

  test('the upstream is never asked about that user again, right or wrong password', async () => {
    const t = createUpstreamIssuer()
    const account = await seedUpstream()
    await login(t, account)
    expect(await upstreamCalls(account.email)).toBe(1)
    expect((await login(t, account)).user.id).toBe(account.id)
    expect(failure(await signIn(t, account.email, 'not the password'))).toEqual({
      status: 401,
      reason: 'INVALID_CREDENTIALS',
    })
    expect(await upstreamCalls(account.email)).toBe(1)
  })

  test('two first sign-ins at once both succeed and create one user', async () => {
    const t = createUpstreamIssuer()
    const account = await seedUpstream()
    const [first, second] = await Promise.all([login(t, account), login(t, account)])
    expect([first.user.id, second.user.id]).toEqual([account.id, account.id])
    expect(first.sessionId).not.toBe(second.sessionId)
    expect((await userById(account.id))!.email).toBe(account.email)
  })

  test('the email is matched case-insensitively, and the numeric id of an old system is kept as text', async () => {
    const t = createUpstreamIssuer()
    const account = await seedUpstream({ id: String(Date.now()), behaviour: 'numeric-id' })
    const pair = await login(t, { email: account.email.toUpperCase(), password: account.password })
    expect(pair.user).toEqual({ id: account.id, email: account.email })
  })
})

describe('lazy migration: a wrong password upstream', () => {
  test('answers exactly as an unknown account does, and creates nothing', async () => {
    const t = createUpstreamIssuer()
    const account = await seedUpstream()
    const wrong = await signIn(t, account.email, 'a wrong guess')
    const unknown = await signIn(t, `nobody-${crypto.randomUUID()}@example.com`, 'a wrong guess')
    expect(failure(wrong)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    expect(wrong.body.error.message).toBe(unknown.body.error.message)
    expect(failure(unknown)).toEqual(failure(wrong))
    expect(await userByEmail(account.email)).toBeNull()
  })

  test('counts against the account limit like any failed sign-in; a refused attempt asks no one', async () => {
    const since = Date.now()
    const t = createUpstreamIssuer({ RATE_LIMIT_LOGIN_ACCOUNT: '3/900' })
    const account = await seedUpstream()
    for (let i = 0; i < 3; i++) {
      expect(failure(await signIn(t, account.email, `guess ${i}`)).reason).toBe(
        'INVALID_CREDENTIALS',
      )
    }
    const limited = await signIn(t, account.email, account.password)
    expect(failure(limited)).toEqual({ status: 429, reason: 'RATE_LIMITED' })
    expect(await upstreamCalls(account.email)).toBe(3)
    const failures = await auditOf('login.failure', { since })
    expect(failures.filter((row) => row.detail === 'upstream').length).toBeGreaterThanOrEqual(3)
    t.advance(900)
    expect((await login(t, account)).user.id).toBe(account.id)
  })
})

describe('lazy migration: a user imported without a password', () => {
  test('gets their hash filled in on the first sign-in, with the same id', async () => {
    const since = Date.now()
    const t = createUpstreamIssuer()
    const account = await seedUpstream()
    await importWithoutPassword(account.id, account.email)
    const pair = await login(t, account)
    expect(pair.user).toEqual({ id: account.id, email: account.email })
    expect((await userById(account.id))!.password_hash).toMatch(/^\$scrypt\$/)
    expect(await auditOf('user.migrated', { userId: account.id, since })).toEqual([
      { user_id: account.id, detail: 'filled' },
    ])
    await login(t, account)
    expect(await upstreamCalls(account.email)).toBe(1)
  })

  test('is refused and audited when the upstream knows the email under another id', async () => {
    const since = Date.now()
    const t = createUpstreamIssuer()
    const account = await seedUpstream()
    const importedId = `imported-${crypto.randomUUID()}`
    await importWithoutPassword(importedId, account.email)
    const result = await signIn(t, account.email, account.password)
    expect(failure(result)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    expect((await userById(importedId))!.password_hash).toBe('')
    expect(await userById(account.id)).toBeNull()
    expect(await auditOf('user.migration-refused', { userId: importedId, since })).toEqual([
      { user_id: importedId, detail: 'id-mismatch' },
    ])
  })
})

describe('lazy migration: an upstream id that is already another user', () => {
  test('is refused and audited; nothing is created and that user is untouched', async () => {
    const since = Date.now()
    const t = createUpstreamIssuer()
    const existing = await registerUser(t)
    const before = await userById(existing.id)
    const account = await seedUpstream({ id: existing.id })
    const result = await signIn(t, account.email, account.password)
    expect(failure(result)).toEqual({ status: 401, reason: 'INVALID_CREDENTIALS' })
    expect(await userByEmail(account.email)).toBeNull()
    expect(await userById(existing.id)).toEqual(before)
    const refused = await auditOf('user.migration-refused', { since })
    expect(refused).toContainEqual({ user_id: null, detail: 'id-taken' })
    expect((await login(t, existing)).user.id).toBe(existing.id)
  })

  test('a registered user with a Rotor hash is never sent upstream', async () => {
    const t = createUpstreamIssuer()
    const user = await registerUser(t)
    expect(failure(await signIn(t, user.email, 'wrong')).reason).toBe('INVALID_CREDENTIALS')
    await login(t, user)
    expect(await upstreamCalls(user.email)).toBe(0)
  })
})
