import { describe, expect, test } from 'vitest'
import { expectIntact, expectRefusal, send, snapshot, useScene } from './helpers.ts'
import type { CallResult } from './helpers.ts'

// tRPC batching as an amplifier (DESIGN §9: at most 10 calls, sign-in and refresh alone): path
// encodings that try to slip a credential-minting call into a batch, and batches that try to
// multiply an attack.
const scene = useScene({ attacker: true })
const { t } = scene

const post = (path: string, input: unknown, token?: string) =>
  send(t.app, `/trpc/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(input),
  })
const credentials = () => ({ email: scene.victim.user.email, password: scene.victim.user.password })
const invalid = { status: 400, reason: 'INVALID_INPUT' }

async function expectRefused(request: () => Promise<CallResult>, refusal = invalid) {
  await expectRefusal(t, scene.victim, request, refusal)
}

describe('credential calls smuggled into a batch', () => {
  test('a sign-in behind a percent-encoded comma is refused and starts no session', async () => {
    await expectRefused(() => post('auth.logout%2Cauth.login?batch=1', { 0: {}, 1: credentials() }))
  })

  test('a sign-in behind a trailing slash is refused and starts no session', async () => {
    await expectRefused(() => post('auth.logout,auth.login/?batch=1', { 0: {}, 1: credentials() }))
  })

  test('a sign-in in a comma list without ?batch=1 is refused, no session starts', async () => {
    await expectRefused(() => post('auth.logout,auth.login', credentials()))
  })

  test('a refresh behind a trailing comma is refused and spends nothing', async () => {
    await expectRefused(() =>
      post('auth.refresh,?batch=1', { 0: { refreshToken: scene.victim.pair.refreshToken } }),
    )
  })

  test('two refreshes of one token in one batch are refused and spend nothing', async () => {
    const input = { refreshToken: scene.victim.pair.refreshToken }
    await expectRefused(() => post('auth.refresh,auth.refresh?batch=1', { 0: input, 1: input }))
  })
})

describe('batches as amplifiers', () => {
  test('11 sessions.revoke calls for the victim’s session are refused before any runs', async () => {
    const path = `${Array(11).fill('sessions.revoke').join(',')}?batch=1`
    const input = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [i, { sessionId: scene.victim.pair.sessionId }]),
    )
    await expectRefused(() => post(path, input, scene.attacker.pair.accessToken))
  })

  test('10 sessions.revoke calls for the victim’s session are each SESSION_NOT_FOUND', async () => {
    const before = await snapshot(scene.victim.user.id)
    const path = `${Array(10).fill('sessions.revoke').join(',')}?batch=1`
    const ids = [
      scene.victim.pair.sessionId,
      scene.victim.pair.sessionId.toUpperCase(),
      '*',
      '%',
      "' OR 1=1 --",
    ]
    const input = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [i, { sessionId: ids[i % ids.length] }]),
    )
    const result = await post(path, input, scene.attacker.pair.accessToken)
    expect(result.body).toHaveLength(10)
    for (const call of result.body) {
      expect(call.error.data).toMatchObject({ httpStatus: 404, reason: 'SESSION_NOT_FOUND' })
    }
    await expectIntact(t, scene.victim, before)
  })

  test('a sign-out everywhere riding a GET batch with a query is refused', async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: {}, 1: {} }))
    await expectRefused(() =>
      send(t.app, `/trpc/auth.me,auth.logoutAll?batch=1&input=${input}`, {
        headers: { authorization: `Bearer ${scene.victim.pair.accessToken}` },
      }),
    )
  })

  test('batch inputs under indexes the batch does not have reach no call', async () => {
    await expectRefused(async () => {
      const result = await post(
        'sessions.revoke?batch=1',
        { 1: { sessionId: scene.victim.pair.sessionId } },
        scene.victim.pair.accessToken,
      )
      return { ...result, body: result.body[0] }
    })
  })
})
