import { Hono } from 'hono'
import { requireAuth } from 'rotor/verify'
import type { IssuerFetcher, RotorVariables } from 'rotor/verify'

export type ResourceEnv = {
  /** Service binding to the Rotor issuer. */
  ROTOR: IssuerFetcher
  ISSUER: string
  AUDIENCE: string
  INTROSPECTION_SECRET: string
}

/**
 * A resource server guarding two routes with Rotor's verifier: `/stateless/*` checks signature and
 * claims only; `/strict/*` also asks the issuer whether the session is still signed in.
 */
export function createResourceApp(env: ResourceEnv, now?: () => number) {
  const common = { issuer: env.ISSUER, audience: env.AUDIENCE, jwks: env.ROTOR, now }
  const app = new Hono<{ Variables: RotorVariables }>()
  app.use('/stateless/*', requireAuth({ ...common, mode: 'stateless' }))
  app.use(
    '/strict/*',
    requireAuth({ ...common, mode: 'strict', introspectionSecret: env.INTROSPECTION_SECRET }),
  )
  const whoami = (c: { get: (key: 'rotor') => RotorVariables['rotor'] }) => ({
    user: c.get('rotor').sub,
    session: c.get('rotor').sid,
  })
  app.get('/stateless/whoami', (c) => c.json(whoami(c)))
  app.get('/strict/whoami', (c) => c.json(whoami(c)))
  app.get('/healthz', (c) => c.json({ ok: true }))
  return app
}
