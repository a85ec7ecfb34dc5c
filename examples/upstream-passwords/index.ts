import { Hono } from 'hono'

// The old system's accounts. A real password service checks its own hashes; this one keeps one
// account in code so the protocol is all there is to read.
const ACCOUNTS = new Map([
  ['old@example.com', { id: 'legacy-1001', password: 'an old password', emailVerified: true }],
])

type Env = { UPSTREAM_PASSWORD_SECRET: string }

/**
 * The protocol Rotor speaks (README, "Lazy migration"): `POST` JSON `{ email, password }` with
 * `Authorization: Bearer <secret>`; 200 `{ id, email, email_verified }` when the password is right,
 * 401 when it is wrong, 404 for an unknown email. Rotor asks once per user, at their first sign-in.
 */
const app = new Hono<{ Bindings: Env }>()

app.post('/check-password', async (c) => {
  if (c.req.header('authorization') !== `Bearer ${c.env.UPSTREAM_PASSWORD_SECRET}`)
    return c.body(null, 403)
  const { email, password } = await c.req.json<{ email?: unknown; password?: unknown }>()
  const account = typeof email === 'string' ? ACCOUNTS.get(email) : undefined
  if (!account) return c.body(null, 404)
  if (password !== account.password) return c.body(null, 401)
  console.log(JSON.stringify({ msg: 'vouched', id: account.id }))
  return c.json({ id: account.id, email, email_verified: account.emailVerified })
})

export default app
