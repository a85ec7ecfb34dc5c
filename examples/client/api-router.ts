import { initTRPC } from '@trpc/server'

// Stands for your own API's router, served by a worker that checks Rotor's tokens (`rotor/verify`).
const t = initTRPC.create()

export const apiRouter = t.router({
  notes: t.procedure.query(() => [{ id: 'n1', text: 'Buy milk' }]),
})

export type ApiRouter = typeof apiRouter
