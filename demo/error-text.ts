import { TRPCClientError } from '@trpc/client'
import { describeError } from './format.ts'

/** A failed call in words for the page: the reason's description, or the error's message. */
export function errorText(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const reason = (error.data as { reason?: unknown } | undefined)?.reason
    return describeError(typeof reason === 'string' ? reason : undefined, error.message)
  }
  return error instanceof Error ? error.message : String(error)
}
