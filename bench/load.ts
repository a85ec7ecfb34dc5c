import autocannon from 'autocannon'
import type { LoadResult, LoadSpec, ToLoad } from './load-protocol.ts'

// The load generator: a child process of the harness (never the server's own process), driving
// 127.0.0.1 with autocannon. Pools of tokens arrive once; each run names the pool it rotates.

const pools = new Map<string, string[]>()
// Successor refresh tokens, per chain pool: each response's token is the next request's.
const chains = new Map<string, string[]>()

process.on('message', async (message: ToLoad) => {
  if (message.type === 'pool') {
    pools.set(message.name, message.values)
    return
  }
  const results = await Promise.all(message.specs.map(runOne))
  process.send!({ id: message.id, results })
})

async function runOne(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url)
  if (url.hostname !== '127.0.0.1') throw new Error('bench: load goes to 127.0.0.1 only')
  const latencies: number[] = []
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    timeout: spec.timeout ?? 10,
    // autocannon stops only on a sampling tick: at 1 s (its default) 1.5 s would run for 2.
    sampleInt: 100,
    requests: [request(spec)],
  })
  // Per response, the only work is keeping the latency of a served one: autocannon counts statuses.
  const served = (status: number) =>
    spec.expectStatus === undefined ? status >= 200 && status < 300 : status === spec.expectStatus
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (served(status)) latencies.push(ms)
  })
  const result = await instance
  const statuses: Record<string, number> = {}
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statuses[code] = count
  latencies.sort((a, b) => a - b)
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]
  return {
    ok: latencies.length,
    total: Object.values(statuses).reduce((sum, n) => sum + n, 0),
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    // null when nothing succeeded: NaN would not survive the IPC channel's JSON.
    p50: at(0.5) ?? null,
    p99: at(0.99) ?? null,
  }
}

function request(spec: LoadSpec): autocannon.Request {
  const base = { method: spec.method ?? 'GET', headers: spec.headers ?? {}, body: spec.body }
  if (spec.bearerPool) {
    const pool = pools.get(spec.bearerPool)!
    let next = 0
    return {
      ...base,
      // autocannon hands each call a fresh request with the headers merged: set, don't copy.
      setupRequest: (req) => {
        req.headers!['authorization'] = `Bearer ${pool[next++ % pool.length]}`
        return req
      },
    }
  }
  if (spec.refreshChain) {
    const seeds = pools.get(spec.refreshChain)!
    const ready = chains.get(spec.refreshChain) ?? []
    chains.set(spec.refreshChain, ready)
    return {
      ...base,
      setupRequest: (req) => {
        const token = ready.pop() ?? seeds.pop()
        if (token === undefined) throw new Error('bench: refresh seeds ran out')
        req.body = JSON.stringify({ refreshToken: token })
        return req
      },
      onResponse: (status, body) => {
        if (status === 200) ready.push(JSON.parse(body).result.data.refreshToken)
      },
    }
  }
  return base
}
