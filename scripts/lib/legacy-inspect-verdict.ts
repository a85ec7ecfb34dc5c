import type { RotorReason } from '../../contract/index.ts'

/** The part of an inspection a verification path decides. */
/** A token as decoded, before any check: what every inspector reads. */
export type Decoded = { header: Record<string, unknown>; claims: Record<string, unknown> }

export type Judgement = {
  /** `unknown` when the configuration cannot decide (a bad value, no keys). */
  verdict: 'accepted' | 'refused' | 'unknown'
  /** The `error.data.reason` the issuer would answer with, when refused. */
  reason?: RotorReason
  /** Why, in plain words, in the order the issuer checks. */
  why: string[]
  /** What this offline check cannot see (the database), and other advice. */
  notes: string[]
}

export function refused(reason: RotorReason, why: string[], notes: string[] = []): Judgement {
  return { verdict: 'refused', reason, why, notes }
}

/** The configuration cannot decide: say which value is wrong. */
export function cannotJudge(message: string): Judgement {
  return { verdict: 'unknown', why: [`The configuration is not usable: ${message}.`], notes: [] }
}

/** "expired at 2026-11-22T10:00:00Z (3 min ago)": a claim's time relative to now, in words. */
export function describeTime(seconds: number, nowSeconds: number, verb: string): string {
  if (!Number.isFinite(seconds)) return `${verb} at an unreadable time`
  const { at, relative } = when(seconds, nowSeconds)
  return `${verb} at ${at} (${relative})`
}

/** An epoch-seconds time as an ISO date and its distance from now ("3 min ago", "in 2 days"). */
export function when(seconds: number, nowSeconds: number): { at: string; relative: string } {
  const delta = seconds - nowSeconds
  return {
    at: new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'),
    relative: delta < 0 ? `${duration(-delta)} ago` : `in ${duration(delta)}`,
  }
}

/** Seconds as the largest whole unit a person reads at a glance. */
export function duration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'min'],
  ]
  for (const [size, name] of units) {
    if (seconds >= size) {
      const count = Math.floor(seconds / size)
      return `${count} ${name}${count === 1 || name === 'min' ? '' : 's'}`
    }
  }
  return `${seconds} s`
}
