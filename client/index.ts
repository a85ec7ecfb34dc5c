export { createRotorClient } from './create-rotor-client'
export { bearerHeaders, createAuthLink } from './auth-link'
export { createMemoryStorage } from './storage'
export type { RotorClient } from './create-rotor-client'
export type { RotorClientOptions } from './options'
export type { AccessTokenSource, AuthLinkOptions } from './auth-link'
export type { TokenStorage } from './storage'
export type { RetryPolicy } from './retry'
export type { ChannelLike, CrossTabOptions, LockManagerLike } from './tab-sync'
export type {
  ClockSkewEvent,
  Listener,
  RefreshEvent,
  RefreshOrigin,
  SessionExpiringEvent,
} from './events'
export type {
  Delivery,
  FetchInit,
  FetchLike,
  LoginInput,
  Schedule,
  SessionSnapshot,
  SignedOutReason,
  TokenPair,
} from './types'
