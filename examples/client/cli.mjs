// A command-line client in plain Node 22 (no build step, no loader) that stays signed in between
// runs: `node cli.mjs register|login <email> <password>`, then `node cli.mjs me`, `... logout`.
// Body delivery: the refresh token goes to a file only this user can read. A later run has no
// access token yet, so its first call refreshes first.
import { readFile, rm, writeFile } from 'node:fs/promises'
import { createRotorClient } from 'rotor/client'

const url = process.env.ROTOR_URL ?? 'http://localhost:8787/trpc'
const file = process.env.ROTOR_SESSION_FILE ?? '.rotor-session'

/** @type {import('rotor/client').TokenStorage} */
const storage = {
  get: () => readFile(file, 'utf8').catch(() => null),
  set: (_key, token) => writeFile(file, token, { mode: 0o600 }),
  delete: () => rm(file, { force: true }),
}
const rotor = createRotorClient({ url, delivery: 'body', storage })
rotor.onRefresh(() => console.log('refreshed the access token'))
rotor.onSignedOut((reason) => console.log(`signed out: ${reason}`))

const [command, email, password] = process.argv.slice(2)
try {
  const result = await run(command)
  if (result !== undefined) console.log(result)
} catch (error) {
  // `error.data.reason` says why: INVALID_CREDENTIALS, TOKEN_MISSING (signed out), …
  console.error(`failed: ${error.data?.reason ?? error.message}`)
  process.exitCode = 1
} finally {
  rotor.close()
}

async function run(command) {
  switch (command) {
    case 'register':
      return rotor.auth.register.mutate({ email, password })
    case 'login':
      return rotor.login({ email, password, clientId: 'cli', deviceName: 'cli' })
    case 'me':
      return rotor.auth.me.query()
    case 'logout':
      return rotor.logout()
    default:
      throw new Error('usage: node cli.mjs register|login <email> <password> | me | logout')
  }
}
