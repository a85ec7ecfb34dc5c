import { parseArgs } from 'node:util'

export type BenchArgs = {
  /** Seconds per load run. */
  duration: number
  repetitions: number
  connections: number[]
  /** Refresh-token rows at each growth level; empty skips growth. */
  rows: number[]
  /** Seconds of soak at constant load; 0 skips it. */
  soak: number
  warmup: number
  inspectorPort: number
}

const HELP = `npm run bench -- [options]
  --duration <s>      seconds per load run (default 1.5)
  --reps <n>          repetitions of every run, interleaved (default 3)
  --connections <l>   concurrencies, comma list (default 16,64)
  --rows <l>          refresh-token rows per growth level, comma list (default 10000,1000000;
                      sessions are a tenth of it; 0 skips growth)
  --soak <s>          seconds of soak at constant load (default 60; the issue's full soak: 600)
  --warmup <s>        unrecorded seconds per route before the first run (default 0.5)
  --inspector-port <n>  workerd inspector for heap samples (default 9329)
  --quick             harness check: --duration 1 --reps 1 --rows 10000,50000 --soak 10`

export function readArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '1.5' },
      reps: { type: 'string', default: '3' },
      connections: { type: 'string', default: '16,64' },
      rows: { type: 'string', default: '10000,1000000' },
      soak: { type: 'string', default: '60' },
      warmup: { type: 'string', default: '0.5' },
      'inspector-port': { type: 'string', default: '9329' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(HELP)
    process.exit(0)
  }
  const quick = values.quick
  const list = (value: string) =>
    value
      .split(',')
      .map(Number)
      .filter((n) => n > 0)
  const args: BenchArgs = {
    duration: Number(quick ? '1' : values.duration),
    repetitions: Number(quick ? '1' : values.reps),
    connections: list(values.connections),
    rows: list(quick ? '10000,50000' : values.rows),
    soak: Number(quick ? '10' : values.soak),
    warmup: Number(values.warmup),
    inspectorPort: Number(values['inspector-port']),
  }
  const bad = Object.entries(args).find(([, v]) => (Array.isArray(v) ? v.some(isNaN) : isNaN(v)))
  if (bad || args.connections.length === 0) throw new Error(`bench: bad option\n${HELP}`)
  return args
}
