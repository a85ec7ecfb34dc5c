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
 * A resource server guarding a route per mode of Rotor's verifier: `/stateless/*` checks signature
 * and claims only; `/feed/*` also checks the issuer's revocation feed, held in memory and refreshed
 * in the background; `/strict/*` asks the issuer on every request whether the session is live.
 */
export function createResourceApp(env: ResourceEnv, now?: () => number) {
  const common = { issuer: env.ISSUER, audience: env.AUDIENCE, jwks: env.ROTOR, now }
  const app = new Hono<{ Variables: RotorVariables }>()
  app.use('/stateless/*', requireAuth({ ...common, mode: 'stateless' }))
  app.use('/feed/*', requireAuth({ ...common, mode: 'feed' }))
  app.use(
    '/strict/*',
    requireAuth({ ...common, mode: 'strict', introspectionSecret: env.INTROSPECTION_SECRET }),
  )
  const whoami = (c: { get: (key: 'rotor') => RotorVariables['rotor'] }) => ({
    user: c.get('rotor').sub,
    session: c.get('rotor').sid,
  })
  app.get('/stateless/whoami', (c) => c.json(whoami(c)))
  app.get('/feed/whoami', (c) => c.json(whoami(c)))
  app.get('/strict/whoami', (c) => c.json(whoami(c)))
  app.get('/healthz', (c) => c.json({ ok: true }))
  return app
}
