import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { BrowserContext } from 'playwright-core'

/** Debian's chromium, installed by `.ci/run`; playwright never downloads a browser here. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

// No network of its own (updates, sync, QUIC probes): the test talks only to wrangler dev.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
]

export type Chromium = {
  /** One browser profile: its pages are tabs sharing cookies, Web Locks and BroadcastChannel. */
  context: BrowserContext
  close(): Promise<void>
}

/**
 * Chromium with a fresh profile in a temp dir. Throws when it cannot start, so a machine without
 * the browser fails the test instead of skipping it.
 */
export async function launchChromium(): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), 'rotor-chromium-'))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      timeout: 30_000,
    })
  } catch (error) {
    await rm(profile, { recursive: true, force: true })
    throw new Error(`Chromium did not start from ${CHROMIUM_PATH} (apt-get install chromium)`, {
      cause: error,
    })
  }
  return {
    context,
    async close() {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}
