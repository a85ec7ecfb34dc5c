/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { DemoPage } from './page.tsx'
import { DEMO_SCRIPT } from './script-bundle.js' // gitignored; built by `npm run demo:build`
import { DEMO_STYLES } from './styles.ts'

// Only this origin's own files and calls: no inline script or style, no framing, no form posts.
const DEMO_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
}

/** `GET /demo` and its script and styles; mounted by `createApp` under `/demo` when DEMO is on. */
export function createDemoRoutes(): Hono {
  const demo = new Hono()
  demo.use(secureHeaders({ contentSecurityPolicy: DEMO_CSP }))
  demo.get('/', (c) => c.html(<DemoPage />, 200, { 'cache-control': 'no-store' }))
  demo.get('/demo.js', (c) =>
    c.body(DEMO_SCRIPT, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
    }),
  )
  demo.get('/demo.css', (c) =>
    c.body(DEMO_STYLES, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'no-cache',
    }),
  )
  return demo
}
