import { createRotorClient } from '../../../client/index.ts'
import { createFakeRotor } from './fake-rotor.ts'
import type { RotorClient, RotorClientOptions, Schedule } from '../../../client/index.ts'
import type { FakeRotor, FakeRotorOptions } from './fake-rotor.ts'

export const EMAIL = 'ada@example.com'
export const PASSWORD = 'correct horse battery staple'

export type Harness = {
  server: FakeRotor
  /** The device's clock: the server's plus the skew. */
  deviceNow(): number
  /** Sets the device clock's offset from the server's, as when a user changes the clock. */
  setSkew(seconds: number): void
  /** Moves both clocks forward and runs the timers that came due; nothing sleeps. */
  advance(seconds: number): void
  /** Every wait a retry asked for, in milliseconds; each one advanced the clocks instead. */
  sleeps: number[]
  client(options?: Partial<RotorClientOptions>): RotorClient
  /** A client signed in as the seeded user. */
  signedIn(options?: Partial<RotorClientOptions>): Promise<RotorClient>
}

/** A fake issuer, a device clock `skewSeconds` off it, and clients wired to both through seams. */
export function createHarness(options: FakeRotorOptions & { skewSeconds?: number } = {}): Harness {
  const server = createFakeRotor(options)
  server.addUser(EMAIL, PASSWORD)
  let skewMs = (options.skewSeconds ?? 0) * 1000
  const deviceNow = () => server.now() + skewMs
  const timers: { at: number; run: () => void; cancelled: boolean }[] = []
  const sleeps: number[] = []

  const schedule: Schedule = (run, ms) => {
    const timer = { at: deviceNow() + ms, run, cancelled: false }
    timers.push(timer)
    return () => void (timer.cancelled = true)
  }
  const advance = (seconds: number) => {
    server.advance(seconds)
    for (let due = nextDue(); due; due = nextDue()) {
      due.cancelled = true
      due.run()
    }
  }
  const nextDue = () => timers.find((t) => !t.cancelled && t.at <= deviceNow())

  const client = (overrides: Partial<RotorClientOptions> = {}) =>
    createRotorClient({
      url: server.url,
      delivery: 'body',
      fetch: server.fetch,
      now: deviceNow,
      schedule,
      sleep: async (ms) => {
        sleeps.push(ms)
        advance(ms / 1000)
        // A real wait lets other tasks run (a tab's broadcast, say) before it ends.
        await new Promise((resolve) => setImmediate(resolve))
      },
      ...overrides,
    })

  return {
    server,
    deviceNow,
    advance,
    setSkew(seconds) {
      skewMs = seconds * 1000
    },
    sleeps,
    client,
    async signedIn(overrides) {
      const rotor = client(overrides)
      await rotor.login({ email: EMAIL, password: PASSWORD })
      return rotor
    },
  }
}

/** Requests to `path` the server saw, in order. */
export function requestsTo(server: FakeRotor, path: string) {
  return server.requests.filter((request) => request.paths.includes(path))
}

/** The refresh token a body-mode refresh request carried. */
export function presentedRefreshToken(body: string | undefined): string | undefined {
  return body === undefined
    ? undefined
    : (JSON.parse(body) as { refreshToken?: string }).refreshToken
}
