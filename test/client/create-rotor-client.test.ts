import { createServer } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import { createRotorClient } from '../../client/index.ts'
import { createFakeRotor } from './helpers/fake-rotor.ts'
import { EMAIL, PASSWORD } from './helpers/harness.ts'
import type { Server } from 'node:http'

let listening: Server | undefined
afterEach(
  () => new Promise<void>((resolve) => (listening ? listening.close(() => resolve()) : resolve())),
)

/** The fake issuer behind a real HTTP listener, so the client runs on Node's own fetch. */
async function serveOverHttp() {
  const fake = createFakeRotor()
  fake.addUser(EMAIL, PASSWORD)
  listening = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = chunks.length ? Buffer.concat(chunks).toString() : undefined
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
    )
    const response = await fake.fetch(`https://rotor.test${req.url}`, {
      method: req.method,
      headers,
      body,
    })
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(await response.text())
  })
  await new Promise<void>((resolve) => listening!.listen(0, '127.0.0.1', resolve))
  const { port } = listening.address() as { port: number }
  return { fake, url: `http://127.0.0.1:${port}/trpc` }
}

describe('createRotorClient', () => {
  test('runs on Node 22 with the global fetch: sign in, call, refresh, sign out', async () => {
    const { fake, url } = await serveOverHttp()
    const rotor = createRotorClient({ url, delivery: 'body', now: () => fake.now() })
    await rotor.login({ email: EMAIL, password: PASSWORD, deviceName: 'cli' })
    await expect(rotor.auth.me.query()).resolves.toEqual({ id: expect.any(String), email: EMAIL })
    fake.advance(880)
    await expect(rotor.auth.me.query()).resolves.toMatchObject({ email: EMAIL })
    expect(fake.refreshCount()).toBe(1)
    await rotor.logout()
    expect(rotor.getSession()).toBeNull()
    rotor.close()
  })

  test('rejects bad options at construction, naming the option', () => {
    const base = { url: 'https://rotor.test/trpc', delivery: 'body' as const }
    expect(() => createRotorClient({ ...base, url: 'rotor.test' })).toThrow(/`url`/)
    expect(() => createRotorClient({ ...base, delivery: 'header' as never })).toThrow(/`delivery`/)
    expect(() => createRotorClient({ ...base, refreshMargin: -1 })).toThrow(/`refreshMargin`/)
    expect(() => createRotorClient({ ...base, retry: { attempts: 0 } })).toThrow(/`retry.attempts`/)
  })

  test('is the typed tRPC client and the session at once, and is not a thenable', async () => {
    const rotor = createRotorClient({ url: 'https://rotor.test/trpc', delivery: 'body' })
    expect(typeof rotor.login).toBe('function')
    expect(typeof rotor.auth.me.query).toBe('function')
    expect(typeof rotor.sessions.revoke.mutate).toBe('function')
    expect((rotor as unknown as { then?: unknown }).then).toBeUndefined()
    await expect(Promise.resolve(rotor)).resolves.toBe(rotor)
  })

  test('accepts the platform fetch as it is typed', () => {
    const rotor = createRotorClient({
      url: 'https://rotor.test/trpc',
      delivery: 'body',
      fetch: globalThis.fetch,
    })
    expect(rotor.getSession()).toBeNull()
  })
})
