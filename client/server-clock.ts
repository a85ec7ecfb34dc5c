/** When a request left and its response arrived, in device milliseconds. */
export type RequestTiming = { sentAt: number; receivedAt: number }

export type ServerClockOptions = {
  /** Device time in milliseconds. */
  now: () => number
  /** Offset magnitude, in seconds, above which `onSkew` is called. */
  skewWarning: number
  /** Called when the offset crosses `skewWarning`, once per crossing. */
  onSkew: (offsetSeconds: number) => void
}

export type ServerClock = {
  /** The issuer's time in milliseconds, estimated from the device clock and the last offset. */
  now(): number
  /** Server time minus device time, in milliseconds. */
  offset(): number
  /** Learns the offset from a server timestamp in whole seconds (a token's `iat`). */
  observeSeconds(serverSeconds: number, timing: RequestTiming): void
  /** Learns the offset from an HTTP `Date` header, when the response exposes one. */
  observeDate(header: string | null | undefined, timing: RequestTiming): void
  /** Adopts an offset measured elsewhere on this device (another tab shares its clock). */
  adopt(offsetMs: number): void
}

/**
 * Estimates the issuer's clock, so timing decisions never compare the device's `Date.now()` with
 * `exp` alone: a device an hour off would otherwise refresh on every call or not at all.
 *
 * Server timestamps have one-second resolution, so the server's moment is taken as the middle of
 * that second, matched with the middle of the request's round trip.
 */
export function createServerClock(options: ServerClockOptions): ServerClock {
  let offsetMs = 0
  let skewed = false

  const adopt = (next: number) => {
    offsetMs = next
    const nowSkewed = Math.abs(offsetMs) > options.skewWarning * 1000
    if (nowSkewed && !skewed) options.onSkew(Math.round(offsetMs / 1000))
    skewed = nowSkewed
  }

  const observeSeconds = (serverSeconds: number, timing: RequestTiming) => {
    if (!Number.isFinite(serverSeconds)) return
    const deviceMidpoint = (timing.sentAt + timing.receivedAt) / 2
    adopt(serverSeconds * 1000 + 500 - deviceMidpoint)
  }

  return {
    now: () => options.now() + offsetMs,
    offset: () => offsetMs,
    observeSeconds,
    observeDate(header, timing) {
      if (!header) return
      const parsed = Date.parse(header)
      if (!Number.isNaN(parsed)) observeSeconds(parsed / 1000, timing)
    },
    adopt,
  }
}
