import { createRotorClient } from '../../../client/index.ts'
import { createTestIssuer, registerUser } from '../../worker/helpers/issuer.ts'
import { createChannelHub, createFakeLocks } from '../helpers/fake-tabs.ts'
import type {
  AppLifecycle,
  FetchLike,
  RotorClient,
  RotorClientOptions,
  Schedule,
  SignedOutReason,
} from '../../../client/index.ts'
import type { TestIssuer } from '../../worker/helpers/issuer.ts'

/** The origin wrangler.toml allows: cookie calls come from it, as from the issuer's own page. */
const PAGE_ORIGIN = 'http://localhost:8787'

/** A passing failure the next request of a device meets instead of the issuer. */
export type Fault = 'offline' | 503

/** A browser: its tabs share the refresh cookie, the Web Locks and the BroadcastChannel. */
export type Browser = {
  cookies: Map<string, string>
  locks: ReturnType<typeof createFakeLocks>
  hub: ReturnType<typeof createChannelHub>
}

/** An app the test drives: in front or not, as a page's visibility or React Native's AppState. */
export type TestLifecycle = AppLifecycle & { show(): void; hide(): void }

/** A client of the real issuer, with everything a test watches on it. */
export type Device = {
  rotor: RotorClient
  lifecycle: TestLifecycle
  /** The procedures of each request it sent, in order (`['auth.me']`, `['auth.refresh']`). */
  requests: string[][]
  signedOut: SignedOutReason[]
  /** The next request fails this way without reaching the issuer. */
  fail(fault: Fault): void
}

export type World = {
  t: TestIssuer
  user: { email: string; password: string }
  browser(): Browser
  /** A body-delivery client (a phone, a CLI), or a tab of `browser` in cookie delivery. */
  device(options?: { browser?: Browser } & Partial<RotorClientOptions>): Device
  /** A device signed in as the world's user. */
  signedIn(options?: { browser?: Browser } & Partial<RotorClientOptions>): Promise<Device>
  /** Moves the issuer's and the devices' clock on (one clock: no skew here); nothing sleeps. */
  advance(seconds: number): void
  /** Waits until no device has a request in flight and none starts for a few turns. */
  settle(): Promise<void>
  close(): void
}

/**
 * The real issuer (worker/app.ts on the local D1, its own clock) and rotor/client instances that
 * reach it through their `fetch` seam: what a user of the client sees, end to end, in workerd.
 */
export async function createWorld(
  vars: Record<string, string> = {},
  bindings: { DB?: D1Database } = {},
): Promise<World> {
  const t = createTestIssuer(vars, bindings)
  const user = await registerUser(t)
  const now = () => t.issuer.now()
  const inflight = new Set<Promise<unknown>>()
  const devices: Device[] = []
  // Background timers on the issuer's clock: they run only when the test advances it.
  const timers: { at: number; run: () => void }[] = []
  const schedule: Schedule = (run, ms) => {
    const timer = { at: now() + ms, run }
    timers.push(timer)
    return () => {
      const index = timers.indexOf(timer)
      if (index !== -1) timers.splice(index, 1)
    }
  }

  const device: World['device'] = ({ browser, ...overrides } = {}) => {
    const requests: string[][] = []
    const faults: Fault[] = []
    const signedOut: SignedOutReason[] = []
    const fetch: FetchLike = (input, init = {}) => {
      requests.push(decodeURIComponent(new URL(input).pathname.slice('/trpc/'.length)).split(','))
      const fault = faults.shift()
      if (fault === 'offline') return Promise.reject(new TypeError('fetch failed'))
      if (fault === 503)
        return Promise.resolve(new Response('upstream unavailable', { status: 503 }))
      const { credentials: _browserOnly, ...rest } = init
      const headers = new Headers(rest.headers)
      if (browser) {
        headers.set('origin', PAGE_ORIGIN)
        const jar = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
        if (jar) headers.set('cookie', jar)
      }
      const request = new Request(input, { ...rest, headers })
      const answer = Promise.resolve(t.app.fetch(request)).then((response) => {
        if (browser) keepCookies(browser.cookies, response.headers.getSetCookie())
        return response
      })
      inflight.add(answer)
      void answer.finally(() => inflight.delete(answer)).catch(() => undefined)
      return answer
    }
    const lifecycle = testLifecycle()
    const rotor = createRotorClient({
      url: 'http://localhost/trpc',
      delivery: browser ? 'cookie' : 'body',
      fetch,
      now,
      schedule,
      // A wait lets queued tasks run (a tab's broadcast), as the 50 ms a browser waits would.
      sleep: () => new Promise((resolve) => setTimeout(resolve, 0)),
      lifecycle,
      crossTab: browser ? { locks: browser.locks, channel: browser.hub.open() } : false,
      ...overrides,
    })
    rotor.onSignedOut((reason) => signedOut.push(reason))
    const created = {
      rotor,
      lifecycle,
      requests,
      signedOut,
      fail: (f: Fault) => void faults.push(f),
    }
    devices.push(created)
    return created
  }

  const settle = async () => {
    for (let idle = 0; idle < 5;) {
      if (inflight.size > 0) {
        idle = 0
        await Promise.allSettled([...inflight])
      } else {
        idle++
        await new Promise((resolve) => setTimeout(resolve, 0))
      }
    }
  }

  return {
    t,
    user,
    browser: () => ({ cookies: new Map(), locks: createFakeLocks(), hub: createChannelHub() }),
    device,
    async signedIn(options) {
      const signed = device(options)
      await signed.rotor.login(user)
      await settle()
      return signed
    },
    advance(seconds) {
      t.advance(seconds)
      const due = timers.filter((timer) => timer.at <= now())
      for (const timer of due) timers.splice(timers.indexOf(timer), 1)
      for (const timer of due) timer.run()
    },
    settle,
    close() {
      for (const { rotor } of devices) rotor.close()
    },
  }
}

function testLifecycle(): TestLifecycle {
  let active = true
  const listeners = new Set<() => void>()
  const set = (next: boolean) => {
    active = next
    for (const listener of [...listeners]) listener()
  }
  return {
    isActive: () => active,
    subscribe(onChange) {
      listeners.add(onChange)
      return () => void listeners.delete(onChange)
    },
    show: () => set(true),
    hide: () => set(false),
  }
}

/** A browser's jar, reduced to what the issuer sets: a value, or its removal (`Max-Age=0`). */
function keepCookies(jar: Map<string, string>, setCookies: string[]): void {
  for (const line of setCookies) {
    const [pair = '', ...attributes] = line.split(';')
    const name = pair.slice(0, pair.indexOf('=')).trim()
    const value = pair.slice(pair.indexOf('=') + 1).trim()
    const removed = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === ''
    if (removed) jar.delete(name)
    else jar.set(name, value)
  }
}
