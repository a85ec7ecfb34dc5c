import { RotorError } from '../contract/index.ts'

/** Why a feed was not taken, as the log line names it. */
export type FeedProblem =
  | 'unreachable'
  | 'timeout'
  | 'http'
  | 'too-large'
  | 'malformed'
  | 'keys'
  | 'unknown-kid'
  | 'signature'
  | 'claims'
  | 'list'
  | 'older-seq'
  | 'replay'

/** A feed that could not be fetched or was refused; the verifier keeps the one it holds. */
export class FeedRefused extends RotorError {
  readonly problem: FeedProblem

  constructor(problem: FeedProblem, detail: string, cause?: unknown) {
    super('REVOCATION_FEED_UNAVAILABLE', detail, { cause })
    this.problem = problem
  }
}
