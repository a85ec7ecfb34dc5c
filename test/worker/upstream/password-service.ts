import { Hono } from 'hono'

/**
 * A password service of the kind lazy migration asks (README, "Lazy migration"), run as an
 * auxiliary worker behind a real service binding (vitest.config.ts bundles it). Tests seed its
 * accounts, each with a behaviour for fault injection, and read how often it was asked.
 */

export type Behaviour =
  | 'ok'
  | 'down'
  | 'slow'
  | 'error'
  | 'malformed'
  | 'oversized'
  | 'redirect'
  | 'bad-id'
  | 'other-email'
  | 'numeric-id'

export type SeededAccount = {
  email: string
  password: string
  id: string
  emailVerified?: boolean
  behaviour?: Behaviour
}

type Env = { UPSTREAM_SECRET: string }

// Module memory: one isolate serves every test of the run, and each test seeds its own emails.
const accounts = new Map<string, SeededAccount>()
const calls = new Map<string, number>()

const app = new Hono<{ Bindings: Env }>()

app.post('/__seed', async (c) => {
  const account = await c.req.json<SeededAccount>()
  accounts.set(account.email, account)
  return c.json({ ok: true })
})

app.get('/__calls', (c) => c.json({ calls: calls.get(c.req.query('email') ?? '') ?? 0 }))

app.post('/check-password', async (c) => {
  if (c.req.header('authorization') !== `Bearer ${c.env.UPSTREAM_SECRET}`) return c.body(null, 403)
  const { email, password } = await c.req.json<{ email: string; password: string }>()
  calls.set(email, (calls.get(email) ?? 0) + 1)
  const account = accounts.get(email)
  if (!account) return c.body(null, 404)
  const answer = { id: account.id, email, email_verified: account.emailVerified ?? false }
  switch (account.behaviour ?? 'ok') {
    case 'down':
      throw new Error('the password service is down')
    case 'slow':
      // Past the issuer's UPSTREAM_TIMEOUT in these tests (0.3 s).
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      break
    case 'error':
      return c.json({ error: 'database unavailable' }, 500)
    case 'malformed':
      return c.body('{"id": "half an answer', 200, { 'content-type': 'application/json' })
    case 'oversized':
      return c.json({ ...answer, padding: 'x'.repeat(1 << 20) })
    case 'redirect':
      return c.redirect('https://elsewhere.example/check-password', 302)
    case 'bad-id':
      return c.json({ ...answer, id: 'id with spaces; DROP TABLE users' })
    case 'other-email':
      return c.json({ ...answer, email: `someone-else-${email}` })
    case 'numeric-id':
      if (password === account.password) return c.json({ ...answer, id: Number(account.id) })
  }
  if (password !== account.password) return c.body(null, 401)
  return c.json(answer)
})

export default app
