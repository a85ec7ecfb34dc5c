import { call } from './fixtures.ts'
import { cpuSeconds } from './proc.ts'
import { median } from './stats.ts'
import { HASH_CASES } from './worker/hash-cases.ts'
import type { HashCase } from './worker/hash-cases.ts'

/** One verification of a stored hash: wall time seen from outside and workerd's CPU, medians. */
export type HashCost = { label: HashCase; wallMs: number; cpuMs: number }

const ROUNDS = 3

/**
 * Sequential requests on an idle worker, one verification each against a request doing none:
 * (t(1) − t(0)), so routing and JSON cost nothing. CPU is workerd's own, read from /proc.
 */
export async function measurePasswordHashes(issuer: URL, workerdPid: number): Promise<HashCost[]> {
  const costs: HashCost[] = []
  for (const label of Object.keys(HASH_CASES) as HashCase[]) {
    const path = `/bench/verify-hash?case=${encodeURIComponent(label)}`
    await call(issuer, `${path}&n=1`) // warm: instantiates the wasm, compiles the path
    const wall: number[] = []
    const cpu: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const zero = await measured(issuer, `${path}&n=0`, workerdPid)
      const one = await measured(issuer, `${path}&n=1`, workerdPid)
      wall.push(one.wall - zero.wall)
      cpu.push(one.cpu - zero.cpu)
    }
    costs.push({ label, wallMs: median(wall), cpuMs: median(cpu) })
  }
  return costs
}

export function formatPasswordHashes(costs: HashCost[]): string[] {
  const lines = ['Password hashes: one verification in workerd (median of 3, sequential)']
  lines.push(`  ${'scheme'.padEnd(34)} ${'CPU ms'.padStart(8)} ${'wall ms'.padStart(8)}`)
  for (const { label, cpuMs, wallMs } of costs) {
    lines.push(
      `  ${label.padEnd(34)} ${cpuMs.toFixed(0).padStart(8)} ${wallMs.toFixed(0).padStart(8)}`,
    )
  }
  return [...lines, '']
}

async function measured(issuer: URL, path: string, pid: number) {
  const [wallStart, cpuStart] = [performance.now(), cpuSeconds(pid)]
  await call(issuer, path)
  return { wall: performance.now() - wallStart, cpu: (cpuSeconds(pid) - cpuStart) * 1000 }
}
