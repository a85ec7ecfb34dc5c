import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { callTrpc } from '../helpers/trpc.ts'
import { useWranglerDev } from '../helpers/wrangler-dev.ts'
import { launchChromium } from './chromium.ts'
import type { Server } from 'node:http'
import type { Chromium } from './chromium.ts'

const PASSWORD = 'correct horse battery staple'
const stockClient = fileURLToPath(
  new URL('../../../node_modules/oauth4webapi/build/index.js', import.meta.url),
)

// The page loads the stock client as it ships; the test's own code cannot import in the page.
const PAGE = `<!doctype html><title>app</title>
<script type="module">import * as oauth from '/oauth4webapi.js'; window.oauth = oauth</script>`

/** An app on another origin than the issuer, serving only that page and oauth4webapi. */
function startAppServer(): Promise<{ server: Server; port: number }> {
  const server = createServer(async (request, response) => {
    if (request.url === '/oauth4webapi.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' })
      response.end(await readFile(stockClient))
      return
    }
    response.writeHead(200, { 'content-type': 'text/html' })
    response.end(PAGE)
  })
  return new Promise((resolve) => {
    server.listen(0, () => resolve({ server, port: (server.address() as { port: number }).port }))
  })
}

// Runs in the page: discovery, the refresh-token grant and revocation with a stock client, and
// a read of the JWKS, each reported as what the page could see.
async function useStockClient(args: { issuer: string; refreshToken: string }) {
  const oauth = (globalThis as any).oauth
  const issuer = new URL(args.issuer)
  const options = { [oauth.allowInsecureRequests]: true }
  const client = { client_id: 'web' }
  const report: Record<string, unknown> = {}
  try {
    const keys = (await (await fetch(`${args.issuer}/.well-known/jwks.json`)).json()) as {
      keys: unknown[]
    }
    report.jwksKeys = keys.keys.length
  } catch (error) {
    report.jwks = String(error)
  }
  try {
    const discovered = await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options })
    const as = await oauth.processDiscoveryResponse(issuer, discovered)
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.None(),
      args.refreshToken,
      options,
    )
    const tokens = await oauth.processRefreshTokenResponse(as, client, response)
    report.refreshed = typeof tokens.access_token === 'string'
    const revoked = await oauth.revocationRequest(
      as,
      client,
      oauth.None(),
      tokens.refresh_token,
      options,
    )
    await oauth.processRevocationResponse(revoked)
    report.revoked = true
  } catch (error) {
    report.failed = String(error)
  }
  return report
}

describe('a stock OAuth client in Chromium, on an app origin apart from the issuer', () => {
  let app: { server: Server; port: number } | undefined
  beforeAll(async () => {
    app = await startAppServer()
  })
  afterAll(() => app?.server.close())
  // 127.0.0.1:<app port> is listed; localhost:<app port> is the same server but another origin.
  const devServer = useWranglerDev((url) => ({
    ISSUER: url,
    ALLOWED_ORIGINS: `${url},http://127.0.0.1:${app!.port}`,
  }))
  let browser: Chromium | undefined
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(() => browser?.close())

  async function signInOverHttp() {
    const base = devServer().url
    const email = `cors-${crypto.randomUUID()}@example.com`
    await callTrpc(base, 'auth.register', { input: { email, password: PASSWORD } })
    const login = await callTrpc(base, 'auth.login', { input: { email, password: PASSWORD } })
    return login.body.result.data as { accessToken: string; refreshToken: string }
  }

  async function runInPage(origin: string, refreshToken: string) {
    const page = await browser!.context.newPage()
    try {
      await page.goto(`${origin}/`)
      await page.waitForFunction(() => 'oauth' in globalThis)
      return await page.evaluate(useStockClient, { issuer: devServer().url, refreshToken })
    } finally {
      await page.close()
    }
  }

  test('a listed origin discovers, refreshes and revokes; the session is over', async () => {
    const pair = await signInOverHttp()
    const report = await runInPage(`http://127.0.0.1:${app!.port}`, pair.refreshToken)
    expect(report).toEqual({ jwksKeys: expect.any(Number), refreshed: true, revoked: true })
    const me = await callTrpc(devServer().url, 'auth.me', { token: pair.accessToken, query: true })
    expect(me.body.error.data.reason).toBe('SESSION_REVOKED')
  })

  test('an unlisted origin reads the public JWKS but cannot read the token endpoint’s answer', async () => {
    const pair = await signInOverHttp()
    const report = await runInPage(`http://localhost:${app!.port}`, pair.refreshToken)
    expect(report.jwksKeys).toEqual(expect.any(Number))
    expect(report.refreshed).toBeUndefined()
    expect(String(report.failed)).toMatch(/fetch/i)
  })
})
