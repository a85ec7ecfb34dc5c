import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

// Kernel clock ticks per second for /proc utime and stime (100 on Linux x86 unless rebuilt).
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

/** The workerd process Miniflare started: a descendant of this process named `workerd`. */
export function findWorkerdPid(): number {
  const parents = new Map<number, number>()
  const names = new Map<number, string>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const { ppid, comm } = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'))
      parents.set(Number(entry), ppid)
      names.set(Number(entry), comm)
    } catch {
      // The process ended while we looked.
    }
  }
  const descends = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at)) {
      if (at === process.pid) return true
    }
    return false
  }
  const found = [...names].find(([pid, comm]) => comm === 'workerd' && descends(pid))
  if (!found) throw new Error('bench: no workerd process under this one')
  return found[0]
}

/** CPU seconds (user + system, all threads) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const { utime, stime } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  return (utime + stime) / TICKS
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
  return Number(kib) * 1024
}

function parseStat(stat: string) {
  // `comm` is in parentheses and may hold spaces; the fields after it are space-separated.
  const close = stat.lastIndexOf(')')
  const comm = stat.slice(stat.indexOf('(') + 1, close)
  const fields = stat.slice(close + 2).split(' ')
  return {
    comm,
    ppid: Number(fields[1]),
    utime: Number(fields[11]),
    stime: Number(fields[12]),
  }
}
