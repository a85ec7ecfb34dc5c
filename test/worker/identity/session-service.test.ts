import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { createTestIssuer, me, refresh, registerUser } from '../helpers/issuer.ts'

// The deployed entry's SessionService, reached the way a trusted backend reaches it: from another
// worker (test/worker/identity/workers/trusted-backend.ts) through a service binding. The issuer
// behind it runs on the real clock, so the test issuer here only shares its database.
async function startSession(input: unknown): Promise<{ returned?: any; thrown?: string }> {
  const response = await env.TEST_BACKEND.fetch('http://backend/', {
    method: 'POST',
    body: JSON.stringify(input),
  })
  return response.json()
}

describe('SessionService over a service binding', () => {
  test('starts a session for a user id; the tokens work and the start is audited', async () => {
    const t = createTestIssuer()
    const user = await registerUser(t)
    const { returned } = await startSession({ userId: user.id, deviceName: 'backend' })
    expect(returned.ok).toBe(true)
    const { tokens } = returned
    expect(tokens.user).toEqual({ id: user.id, email: user.email })
    expect((await me(t, tokens.accessToken)).body.result.data.id).toBe(user.id)
    expect((await refresh(t, tokens.refreshToken)).status).toBe(200)
    const audit = await t.call('audit.list', undefined, { token: tokens.accessToken })
    expect(audit.body.result.data).toContainEqual(
      expect.objectContaining({ event: 'session.start', detail: 'service trusted-backend' }),
    )
  })
})
