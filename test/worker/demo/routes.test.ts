import { describe, expect, test } from 'vitest'
import { exports } from 'cloudflare:workers'
import { DEMO_SCRIPT } from '../../../worker/demo/script-bundle.js'
import { createTestIssuer } from '../helpers/issuer.ts'

const worker = exports.default as unknown as { fetch: (request: Request) => Promise<Response> }
const DEMO_PATHS = ['/demo', '/demo/', '/demo/demo.js', '/demo/demo.css']

describe('the demo page, off unless DEMO turns it on', () => {
  test('the deployed entry with wrangler.toml’s values answers /demo as an unknown route', async () => {
    const unknown = await answer(await worker.fetch(new Request('http://localhost/no-such-page')))
    expect(unknown.status).toBe(404)
    for (const path of DEMO_PATHS) {
      const response = await worker.fetch(new Request(`http://localhost${path}`))
      expect(await answer(response), path).toEqual(unknown)
    }
  })

  test('DEMO=off: every demo path is the same 404 NOT_FOUND as any unknown route', async () => {
    const t = createTestIssuer({ DEMO: 'off' })
    const unknown = await answer(await t.request('/no-such-page'))
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: { data: { reason: 'NOT_FOUND' } } },
    })
    for (const path of DEMO_PATHS)
      expect(await answer(await t.request(path)), path).toEqual(unknown)
  })

  test('DEMO=on: the page, its bundled script and its styles, under a self-only CSP', async () => {
    const t = createTestIssuer({ DEMO: 'on' })
    const page = await t.request('/demo')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await page.text()
    expect(html).toContain('<script type="module" src="/demo/demo.js">')
    expect(html).toContain('<link rel="stylesheet" href="/demo/demo.css"')

    const script = await t.request('/demo/demo.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    // The generated module vitest.config.ts built from demo/ and client/ before the worker loaded.
    expect(await script.text()).toBe(DEMO_SCRIPT)
    expect(DEMO_SCRIPT.length).toBeGreaterThan(1000)

    const styles = await t.request('/demo/demo.css')
    expect(styles.status).toBe(200)
    expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8')
  })
})

async function answer(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.json().catch(() => 'not JSON'),
  }
}
