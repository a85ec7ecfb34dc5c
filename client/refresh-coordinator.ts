import { classifyFailure, isDefinitiveReason } from './failure.ts'
import { retryTransient } from './retry.ts'
import { claimsOf, isExpired, needsRefresh } from './token-state.ts'
import type { StepUpRequirement } from '../contract/index.ts'
import type { AccessTokenSource } from './auth-link.ts'
import type { AuthTransport } from './auth-transport.ts'
import type { RetryOptions } from './retry.ts'
import type { ServerClock } from './server-clock.ts'
import type { Session } from './session.ts'
import type { TabSync } from './tab-sync.ts'
import type { AccessTokenRecord } from './token-state.ts'
import type { Delivery } from './types.ts'

export type RefreshCoordinatorOptions = {
  delivery: Delivery
  session: Session
  transport: AuthTransport
  tabs: TabSync
  clock: ServerClock
  retry: RetryOptions
  /** A call was refused for want of a step-up, with no newer token to retry it with. */
  onStepUpRequired: (requirement: StepUpRequirement) => void
}

export type RefreshCoordinator = AccessTokenSource & {
  /**
   * The current token, refreshed first when a call needs it: near expiry, not yet known (a new
   * page with a cookie, a CLI with a stored token), or just rejected as `rejectedToken`.
   */
  ensureFresh(rejectedToken?: string): Promise<AccessTokenRecord | undefined>
}

/**
 * Decides when to refresh and makes sure one refresh runs at a time: calls that need one while
 * it runs share it (single-flight), and across tabs the Web Lock admits one tab, which re-checks
 * after acquiring in case another tab's refresh already made its own unnecessary.
 */
export function createRefreshCoordinator(options: RefreshCoordinatorOptions): RefreshCoordinator {
  const { delivery, session, transport, tabs, clock, retry } = options
  let inflight: Promise<AccessTokenRecord | undefined> | undefined

  const isNeeded = (rejectedToken: string | undefined) => {
    const { status, record } = session.state()
    if (status === 'signed-out') return false
    if (record === undefined) return true
    if (rejectedToken !== undefined && record.accessToken === rejectedToken) return true
    return needsRefresh(record, clock.now())
  }

  const refreshNow = async () => {
    const sessionId = session.state().record?.sessionId
    const epoch = session.epoch()
    const refreshToken = await session.readRefreshToken()
    // Body mode with nothing stored has nothing to send; cookie mode asks (the cookie may be there).
    if (refreshToken === undefined && delivery === 'body') {
      await session.end('TOKEN_MISSING', { sessionId, broadcast: true })
      return undefined
    }
    try {
      // The same token on every attempt: a lost response is answered by the grace window.
      const { pair, timing } = await retryTransient(() => transport.refresh(refreshToken), retry)
      // Signed out or in again meanwhile: this pair belongs to a session the user left.
      if (session.epoch() !== epoch) return session.state().record
      return await session.accept(pair, timing, 'refresh')
    } catch (error) {
      const { reason } = classifyFailure(error)
      // No cookie (cookie mode) ends the session as surely as a revoked one.
      if (!isDefinitiveReason(reason) && reason !== 'TOKEN_MISSING') throw error
      await session.end(reason, { sessionId, broadcast: true })
      return undefined
    }
  }

  const ensureFresh = (rejectedToken?: string) => {
    if (!isNeeded(rejectedToken)) return Promise.resolve(session.state().record)
    inflight ??= tabs
      .withLock(() =>
        isNeeded(rejectedToken) ? refreshNow() : Promise.resolve(session.state().record),
      )
      .finally(() => {
        inflight = undefined
      })
    return inflight
  }

  return {
    ensureFresh,
    async getAccessToken() {
      try {
        return (await ensureFresh())?.accessToken ?? null
      } catch (error) {
        // Refresh failed for a passing reason while the old token still works: keep using it.
        const { record } = session.state()
        if (
          record &&
          classifyFailure(error).kind === 'transient' &&
          !isExpired(record, clock.now())
        )
          return record.accessToken
        throw error
      }
    },
    async recover(rejectedToken, error) {
      const { kind, reason, stepUp } = classifyFailure(error)
      if (isDefinitiveReason(reason)) {
        await session.end(reason, { sessionId: claimsOf(rejectedToken).sessionId, broadcast: true })
        return null
      }
      if (kind === 'step-up') {
        // A token newer than the refused one (a step-up since it was sent) gets the one retry.
        const { record } = session.state()
        if (record && record.accessToken !== rejectedToken) return record.accessToken
        options.onStepUpRequired(stepUp ?? {})
        return null
      }
      if (kind !== 'token-rejected') return null
      const record = await ensureFresh(rejectedToken)
      return record && record.accessToken !== rejectedToken ? record.accessToken : null
    },
  }
}
