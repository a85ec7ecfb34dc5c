import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { readmeBlock } from './helpers/readme.ts'
import { useWranglerDev } from './helpers/wrangler-dev.ts'

const run = promisify(execFile)

describe('the README’s curl walkthrough, pasted into a shell', () => {
  const devServer = useWranglerDev()

  test('runs as written: signs up, refreshes, signs out, and the token stops working', async () => {
    const block = await readmeBlock('A walk through the whole flow with `curl`')
    expect(block.startsWith('ROTOR=http://localhost:8787\n')).toBe(true)
    // Only the address differs: the test's issuer listens on a port of its own.
    const script = block.replace('ROTOR=http://localhost:8787', `ROTOR=${devServer().url}`)
    // -e stops at the first failing command and -u at an unset variable, as a careful reader would.
    const { stdout } = await run('sh', ['-eu', '-c', script], { env: process.env })
    const answers = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(answers).toHaveLength(5)
    const [registered, login, me, logout, after] = answers
    expect(registered.result.data.user.email).toBe('ada@example.com')
    expect(login.result.data.accessToken).toEqual(expect.any(String))
    expect(me.result.data).toEqual({ ...registered.result.data.user, emailVerified: false })
    expect(logout.result.data.ok).toBe(true)
    expect(after.error.data.reason).toBe('SESSION_REVOKED')
  })
})
