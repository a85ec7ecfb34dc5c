import { ALGS, call } from './fixtures.ts'
import { median } from './stats.ts'
import type { Alg } from './fixtures.ts'

/** Per-operation cost in microseconds, from outside: (t(N) − t(0)) / N, medians of each. */
export type CryptoFloor = {
  sign: Record<Alg, number>
  verify: Record<Alg, number>
  /** One password hash (Rotor's scheme at today's parameters), microseconds. */
  passwordHash: number
}

// Chosen so one request does roughly 20–100 ms of work: far above timer and network jitter.
const OPS = {
  sign: { ES256: 400, EdDSA: 400, RS256: 40 },
  verify: { ES256: 300, EdDSA: 300, RS256: 400 },
}
const ROUNDS = 7

/**
 * Sequential requests, never concurrent: the floor is one request's cost on an idle worker.
 * Rounds alternate t(0) and t(N) so drift in machine load hits both alike.
 */
export async function measureCryptoFloor(issuer: URL): Promise<CryptoFloor> {
  const perOp = async (path: string, n: number, rounds = ROUNDS) => {
    const zero: number[] = []
    const full: number[] = []
    await call(issuer, `${path}&n=${n}`) // warm: imports the key, compiles the path
    for (let round = 0; round < rounds; round++) {
      zero.push(await timed(() => call(issuer, `${path}&n=0`)))
      full.push(await timed(() => call(issuer, `${path}&n=${n}`)))
    }
    return ((median(full) - median(zero)) * 1000) / n
  }
  const sign = {} as Record<Alg, number>
  const verify = {} as Record<Alg, number>
  for (const alg of ALGS) {
    sign[alg] = await perOp(`/bench/sign?alg=${alg}`, OPS.sign[alg])
    verify[alg] = await perOp(`/bench/verify?alg=${alg}`, OPS.verify[alg])
  }
  const passwordHash = await perOp('/bench/password-hash?', 1, 5)
  return { sign, verify, passwordHash }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await run()
  return performance.now() - start
}
