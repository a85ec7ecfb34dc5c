import { randomUUID } from 'node:crypto'
import { chmod, open, rename, rm } from 'node:fs/promises'

/**
 * Replaces `path` with `text`, readable by its owner only (0600). Written to a sibling and
 * renamed, so a crash never leaves half a key ring behind and no other user can open it meanwhile.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`
  const handle = await open(temporary, 'wx', 0o600)
  try {
    await handle.writeFile(text)
    await handle.close()
    await rename(temporary, path)
  } catch (error) {
    await handle.close().catch(() => {})
    await rm(temporary, { force: true })
    throw error
  }
  // The umask can only narrow 0600, but say it exactly: the file holds private keys.
  await chmod(path, 0o600)
}
