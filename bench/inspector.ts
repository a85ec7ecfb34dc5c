/** A worker's V8 heap as the inspector reports it (`Runtime.getHeapUsage`). */
export type HeapSample = { usedBytes: number; totalBytes: number }

export type HeapReader = {
  /** Heap in use now, garbage included: cheap, but swings with every allocation. */
  read(): Promise<HeapSample>
  /**
   * Heap in use right after a full GC, i.e. what is retained. workerd ignores
   * `HeapProfiler.collectGarbage`, but a heap snapshot collects first; its chunks are dropped.
   */
  collect(): Promise<HeapSample>
  close(): void
}

/**
 * Connects to workerd's inspector (Miniflare `inspectorPort`) for one worker, e.g. `rotor`
 * (target `core:user:rotor`). Returns `undefined` when the inspector is unreachable.
 */
export async function connectHeapReader(
  port: number,
  worker: string,
): Promise<HeapReader | undefined> {
  let socket: WebSocket
  try {
    socket = new WebSocket(
      `ws://127.0.0.1:${port}/${worker.includes(':') ? worker : `core:user:${worker}`}`,
    )
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true })
      socket.addEventListener('error', reject, { once: true })
    })
  } catch {
    return undefined
  }
  const pending = new Map<number, (message: any) => void>()
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data))
    if (message.id === undefined) return // snapshot chunks and other events
    pending.get(message.id)?.(message)
    pending.delete(message.id)
  })
  let nextId = 1
  const send = (method: string, params: object = {}) =>
    new Promise<any>((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      socket.send(JSON.stringify({ id, method, params }))
    })
  const read = async (): Promise<HeapSample> => {
    const usage = await send('Runtime.getHeapUsage')
    if (!usage.result) throw new Error(`bench: inspector: ${JSON.stringify(usage.error)}`)
    return { usedBytes: usage.result.usedSize, totalBytes: usage.result.totalSize }
  }
  return {
    read,
    async collect() {
      await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
      return read()
    },
    close: () => socket.close(),
  }
}
