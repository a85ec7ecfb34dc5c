// A trusted backend in the same account, run as an auxiliary worker: its ROTOR service binding
// points at the issuer's SessionService entrypoint. POST / with the startSession input returns
// what the RPC returned, or the message of what it threw.

type SessionService = { startSession(input: unknown): Promise<unknown> }

export default {
  async fetch(request: Request, env: { ROTOR: SessionService }): Promise<Response> {
    const input = await request.json()
    try {
      return Response.json({ returned: await env.ROTOR.startSession(input) })
    } catch (error) {
      return Response.json({ thrown: error instanceof Error ? error.message : String(error) })
    }
  },
}
